using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kuryr.Neutron.Trunks;

/// <summary>A Neutron trunk (VLAN-aware parent port plus subports).</summary>
public sealed record Trunk
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>The parent port.</summary>
    [JsonPropertyName("port_id")] public string PortId { get; init; } = "";

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("tenant_id")] public string? TenantId { get; init; }

    /// <summary><c>DOWN</c>, <c>BUILD</c>, <c>ACTIVE</c>, <c>DEGRADED</c>, <c>ERROR</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("admin_state_up")] public bool? AdminStateUp { get; init; }

    [JsonPropertyName("sub_ports")] public IReadOnlyList<SubPort> SubPorts { get; init; } = [];

    [JsonPropertyName("tags")] public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("revision_number")] public long? RevisionNumber { get; init; }

    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A trunk subport: a port carried on one VLAN of the parent.</summary>
public sealed record SubPort
{
    public SubPort()
    {
    }

    /// <summary>A VLAN subport.</summary>
    public SubPort(string portId, int segmentationId)
    {
        PortId = portId;
        SegmentationId = segmentationId;
    }

    [JsonPropertyName("port_id")] public string PortId { get; init; } = "";

    [JsonPropertyName("segmentation_type")] public string SegmentationType { get; init; } = "vlan";

    /// <summary>The VLAN id, 1–4094.</summary>
    [JsonPropertyName("segmentation_id")] public int SegmentationId { get; init; }
}
