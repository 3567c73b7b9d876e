using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kuryr.Neutron.Serialization;

namespace Kuryr.Neutron.SubnetPools;

/// <summary>A Neutron subnet pool (<c>[namespace_subnet] pod_subnet_pool</c> hands out namespace subnets).
/// Neutron answers the prefix lengths as JSON strings (<c>"26"</c>); both forms are read.</summary>
public sealed record SubnetPool
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("prefixes")] public IReadOnlyList<string> Prefixes { get; init; } = [];

    [JsonPropertyName("ip_version"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public int IpVersion { get; init; }

    [JsonPropertyName("default_prefixlen"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public int? DefaultPrefixLength { get; init; }

    [JsonPropertyName("min_prefixlen"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public int? MinPrefixLength { get; init; }

    [JsonPropertyName("max_prefixlen"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public int? MaxPrefixLength { get; init; }

    [JsonPropertyName("shared")] public bool? Shared { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("tags")] public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("revision_number")] public long? RevisionNumber { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Body of a subnet pool creation: <see cref="Prefixes"/> is required. Neutron's default
/// prefix length is the pool's <c>min_prefixlen</c> (8 for IPv4) unless <see cref="DefaultPrefixLength"/> is set.</summary>
public sealed record SubnetPoolCreate
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("prefixes")] public IReadOnlyList<string> Prefixes { get; init; } = [];

    [JsonPropertyName("default_prefixlen")] public int? DefaultPrefixLength { get; init; }

    [JsonPropertyName("min_prefixlen")] public int? MinPrefixLength { get; init; }

    [JsonPropertyName("max_prefixlen")] public int? MaxPrefixLength { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("shared")] public bool? Shared { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }
}

/// <summary>Subnet pool list filters.</summary>
public sealed record SubnetPoolFilter : NeutronFilter
{
    public int? IpVersion { get; init; }

    private protected override void AddSpecific(List<KeyValuePair<string, string>> query) =>
        Add(query, "ip_version", IpVersion?.ToString(CultureInfo.InvariantCulture));
}
