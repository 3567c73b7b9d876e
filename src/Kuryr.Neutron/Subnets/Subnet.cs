using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kuryr.Neutron.Serialization;

namespace Kuryr.Neutron.Subnets;

/// <summary>A Neutron subnet.</summary>
public sealed record Subnet
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("network_id")] public string NetworkId { get; init; } = "";

    [JsonPropertyName("cidr")] public string Cidr { get; init; } = "";

    [JsonPropertyName("ip_version")] public int IpVersion { get; init; }

    [JsonPropertyName("gateway_ip")] public string? GatewayIp { get; init; }

    [JsonPropertyName("enable_dhcp")] public bool? EnableDhcp { get; init; }

    [JsonPropertyName("dns_nameservers")] public IReadOnlyList<string> DnsNameservers { get; init; } = [];

    [JsonPropertyName("host_routes")] public IReadOnlyList<HostRoute> HostRoutes { get; init; } = [];

    [JsonPropertyName("allocation_pools")] public IReadOnlyList<AllocationPool> AllocationPools { get; init; } = [];

    [JsonPropertyName("subnetpool_id")] public string? SubnetpoolId { get; init; }

    [JsonPropertyName("ipv6_ra_mode")] public string? Ipv6RaMode { get; init; }

    [JsonPropertyName("ipv6_address_mode")] public string? Ipv6AddressMode { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("tenant_id")] public string? TenantId { get; init; }

    [JsonPropertyName("tags")] public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("revision_number")] public long? RevisionNumber { get; init; }

    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A static route handed out by DHCP.</summary>
public sealed record HostRoute
{
    [JsonPropertyName("destination")] public string Destination { get; init; } = "";

    [JsonPropertyName("nexthop")] public string Nexthop { get; init; } = "";
}

/// <summary>An address range Neutron allocates from.</summary>
public sealed record AllocationPool
{
    [JsonPropertyName("start")] public string Start { get; init; } = "";

    [JsonPropertyName("end")] public string End { get; init; } = "";
}

/// <summary>Body of a subnet creation: <see cref="NetworkId"/> and either <see cref="Cidr"/> or
/// <see cref="SubnetpoolId"/> are required.</summary>
public sealed record SubnetCreate
{
    [JsonPropertyName("network_id")] public string NetworkId { get; init; } = "";

    [JsonPropertyName("cidr")] public string? Cidr { get; init; }

    [JsonPropertyName("ip_version")] public int IpVersion { get; init; } = 4;

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("gateway_ip")] public string? GatewayIp { get; init; }

    [JsonPropertyName("enable_dhcp")] public bool? EnableDhcp { get; init; }

    [JsonPropertyName("dns_nameservers")] public IReadOnlyList<string>? DnsNameservers { get; init; }

    [JsonPropertyName("host_routes")] public IReadOnlyList<HostRoute>? HostRoutes { get; init; }

    [JsonPropertyName("allocation_pools")] public IReadOnlyList<AllocationPool>? AllocationPools { get; init; }

    [JsonPropertyName("subnetpool_id")] public string? SubnetpoolId { get; init; }

    [JsonPropertyName("prefixlen")] public int? PrefixLength { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }
}

/// <summary>Subnet list filters.</summary>
public sealed record SubnetFilter : NeutronFilter
{
    public string? NetworkId { get; init; }

    public string? Cidr { get; init; }

    public int? IpVersion { get; init; }

    public string? SubnetpoolId { get; init; }

    private protected override void AddSpecific(List<KeyValuePair<string, string>> query)
    {
        Add(query, "network_id", NetworkId);
        Add(query, "cidr", Cidr);
        Add(query, "ip_version", IpVersion?.ToString(CultureInfo.InvariantCulture));
        Add(query, "subnetpool_id", SubnetpoolId);
    }
}
