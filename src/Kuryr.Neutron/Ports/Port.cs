using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kuryr.Neutron.Ports;

/// <summary>A Neutron port as Neutron returns it. Attributes this type does not name are kept in
/// <see cref="ExtensionData"/>, so nothing Neutron sends is lost.</summary>
public sealed record Port
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("network_id")] public string? NetworkId { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("tenant_id")] public string? TenantId { get; init; }

    [JsonPropertyName("mac_address")] public string? MacAddress { get; init; }

    [JsonPropertyName("fixed_ips")] public IReadOnlyList<FixedIp> FixedIps { get; init; } = [];

    [JsonPropertyName("device_owner")] public string? DeviceOwner { get; init; }

    [JsonPropertyName("device_id")] public string? DeviceId { get; init; }

    /// <summary><c>ACTIVE</c>, <c>DOWN</c>, <c>BUILD</c>, <c>ERROR</c>.</summary>
    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("admin_state_up")] public bool? AdminStateUp { get; init; }

    [JsonPropertyName("security_groups")] public IReadOnlyList<string> SecurityGroups { get; init; } = [];

    [JsonPropertyName("allowed_address_pairs")] public IReadOnlyList<AllowedAddressPair> AllowedAddressPairs { get; init; } = [];

    [JsonPropertyName("port_security_enabled")] public bool? PortSecurityEnabled { get; init; }

    [JsonPropertyName("tags")] public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("revision_number")] public long? RevisionNumber { get; init; }

    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; init; }

    [JsonPropertyName("binding:host_id")] public string? BindingHostId { get; init; }

    /// <summary><c>unbound</c>, <c>binding_failed</c>, <c>ovs</c>, ...</summary>
    [JsonPropertyName("binding:vif_type")] public string? BindingVifType { get; init; }

    [JsonPropertyName("binding:vif_details")] public IReadOnlyDictionary<string, JsonElement>? BindingVifDetails { get; init; }

    [JsonPropertyName("binding:vnic_type")] public string? BindingVnicType { get; init; }

    [JsonPropertyName("binding:profile")] public IReadOnlyDictionary<string, JsonElement>? BindingProfile { get; init; }

    /// <summary>Set when this port is the parent of a trunk (<c>trunk-details</c> extension).</summary>
    [JsonPropertyName("trunk_details")] public TrunkDetails? TrunkDetails { get; init; }

    /// <summary>Every attribute not named above, as Neutron sent it.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>One address of a port.</summary>
public sealed record FixedIp
{
    [JsonPropertyName("subnet_id")] public string? SubnetId { get; init; }

    [JsonPropertyName("ip_address")] public string? IpAddress { get; init; }
}

/// <summary>An extra address (and optionally MAC) the port may send from.</summary>
public sealed record AllowedAddressPair
{
    [JsonPropertyName("ip_address")] public string IpAddress { get; init; } = "";

    [JsonPropertyName("mac_address")] public string? MacAddress { get; init; }
}

/// <summary><c>trunk_details</c> of a trunk's parent port.</summary>
public sealed record TrunkDetails
{
    [JsonPropertyName("trunk_id")] public string TrunkId { get; init; } = "";

    [JsonPropertyName("sub_ports")] public IReadOnlyList<TrunkSubPortDetail> SubPorts { get; init; } = [];
}

/// <summary>A subport as <c>trunk_details</c> lists it (with its MAC).</summary>
public sealed record TrunkSubPortDetail
{
    [JsonPropertyName("port_id")] public string PortId { get; init; } = "";

    [JsonPropertyName("segmentation_type")] public string? SegmentationType { get; init; }

    [JsonPropertyName("segmentation_id")] public int SegmentationId { get; init; }

    [JsonPropertyName("mac_address")] public string? MacAddress { get; init; }
}
