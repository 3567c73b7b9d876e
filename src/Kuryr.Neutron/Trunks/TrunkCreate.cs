using System.Text.Json.Serialization;

namespace Kuryr.Neutron.Trunks;

/// <summary>Body of a trunk creation; <see cref="PortId"/> (the parent, unbound) is required.</summary>
public sealed record TrunkCreate
{
    [JsonPropertyName("port_id")] public string PortId { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("admin_state_up")] public bool? AdminStateUp { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("sub_ports")] public IReadOnlyList<SubPort>? SubPorts { get; init; }
}
