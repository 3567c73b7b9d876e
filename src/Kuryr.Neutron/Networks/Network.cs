using System.Text.Json;
using System.Text.Json.Serialization;
using Kuryr.Neutron.Serialization;

namespace Kuryr.Neutron.Networks;

/// <summary>A Neutron network.</summary>
public sealed record Network
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("mtu")] public int? Mtu { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("subnets")] public IReadOnlyList<string> Subnets { get; init; } = [];

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("tenant_id")] public string? TenantId { get; init; }

    [JsonPropertyName("admin_state_up")] public bool? AdminStateUp { get; init; }

    [JsonPropertyName("shared")] public bool? Shared { get; init; }

    [JsonPropertyName("port_security_enabled")] public bool? PortSecurityEnabled { get; init; }

    [JsonPropertyName("router:external")] public bool? RouterExternal { get; init; }

    [JsonPropertyName("provider:network_type")] public string? ProviderNetworkType { get; init; }

    [JsonPropertyName("provider:physical_network")] public string? ProviderPhysicalNetwork { get; init; }

    [JsonPropertyName("provider:segmentation_id")] public int? ProviderSegmentationId { get; init; }

    [JsonPropertyName("tags")] public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("revision_number")] public long? RevisionNumber { get; init; }

    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Body of a network creation; every member is optional.</summary>
public sealed record NetworkCreate
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("mtu")] public int? Mtu { get; init; }

    [JsonPropertyName("admin_state_up")] public bool? AdminStateUp { get; init; }

    [JsonPropertyName("shared")] public bool? Shared { get; init; }

    [JsonPropertyName("port_security_enabled")] public bool? PortSecurityEnabled { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("provider:network_type")] public string? ProviderNetworkType { get; init; }

    [JsonPropertyName("provider:physical_network")] public string? ProviderPhysicalNetwork { get; init; }

    [JsonPropertyName("provider:segmentation_id")] public int? ProviderSegmentationId { get; init; }
}

/// <summary>Network list filters.</summary>
public sealed record NetworkFilter : NeutronFilter
{
    public string? Status { get; init; }

    public bool? Shared { get; init; }

    private protected override void AddSpecific(List<KeyValuePair<string, string>> query)
    {
        Add(query, "status", Status);
        Add(query, "shared", Shared is null ? null : Shared.Value ? "true" : "false");
    }
}
