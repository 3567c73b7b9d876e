using System.Text.Json;
using System.Text.Json.Serialization;
using Kuryr.Neutron.Serialization;

namespace Kuryr.Neutron.SecurityGroups;

/// <summary>A Neutron security group with its rules.</summary>
public sealed record SecurityGroup
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("tenant_id")] public string? TenantId { get; init; }

    [JsonPropertyName("stateful")] public bool? Stateful { get; init; }

    [JsonPropertyName("security_group_rules")] public IReadOnlyList<SecurityGroupRule> Rules { get; init; } = [];

    [JsonPropertyName("tags")] public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonPropertyName("revision_number")] public long? RevisionNumber { get; init; }

    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>One security group rule.</summary>
public sealed record SecurityGroupRule
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("security_group_id")] public string SecurityGroupId { get; init; } = "";

    /// <summary><c>ingress</c> or <c>egress</c>.</summary>
    [JsonPropertyName("direction")] public string Direction { get; init; } = "";

    /// <summary><c>IPv4</c> or <c>IPv6</c>.</summary>
    [JsonPropertyName("ethertype")] public string? Ethertype { get; init; }

    [JsonPropertyName("protocol")] public string? Protocol { get; init; }

    [JsonPropertyName("port_range_min")] public int? PortRangeMin { get; init; }

    [JsonPropertyName("port_range_max")] public int? PortRangeMax { get; init; }

    [JsonPropertyName("remote_ip_prefix")] public string? RemoteIpPrefix { get; init; }

    [JsonPropertyName("remote_group_id")] public string? RemoteGroupId { get; init; }

    [JsonPropertyName("remote_address_group_id")] public string? RemoteAddressGroupId { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("revision_number")] public long? RevisionNumber { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Body of a security group creation. Neutron adds the two default egress rules.</summary>
public sealed record SecurityGroupCreate
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("stateful")] public bool? Stateful { get; init; }
}

/// <summary>Body of a rule creation: <see cref="SecurityGroupId"/> and <see cref="Direction"/> are required.</summary>
public sealed record SecurityGroupRuleCreate
{
    [JsonPropertyName("security_group_id")] public string SecurityGroupId { get; init; } = "";

    /// <summary><c>ingress</c> or <c>egress</c>.</summary>
    [JsonPropertyName("direction")] public string Direction { get; init; } = "";

    /// <summary><c>IPv4</c> (Neutron's default) or <c>IPv6</c>.</summary>
    [JsonPropertyName("ethertype")] public string? Ethertype { get; init; }

    [JsonPropertyName("protocol")] public string? Protocol { get; init; }

    [JsonPropertyName("port_range_min")] public int? PortRangeMin { get; init; }

    [JsonPropertyName("port_range_max")] public int? PortRangeMax { get; init; }

    [JsonPropertyName("remote_ip_prefix")] public string? RemoteIpPrefix { get; init; }

    [JsonPropertyName("remote_group_id")] public string? RemoteGroupId { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }
}

/// <summary>Security group list filters.</summary>
public sealed record SecurityGroupFilter : NeutronFilter
{
}
