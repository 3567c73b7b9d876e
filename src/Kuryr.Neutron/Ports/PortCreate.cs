using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kuryr.Neutron.Ports;

/// <summary>
/// Body of a port creation. Only the members that are set are sent; <see cref="NetworkId"/> is
/// required. <see cref="Tags"/> are applied in the same POST when Neutron has the
/// <c>tag-ports-during-bulk-creation</c> extension, otherwise right after it (same result).
/// </summary>
public sealed record PortCreate
{
    [JsonPropertyName("network_id")] public string NetworkId { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>Only an admin may create a port for another project.</summary>
    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("device_owner")] public string? DeviceOwner { get; init; }

    [JsonPropertyName("device_id")] public string? DeviceId { get; init; }

    [JsonPropertyName("fixed_ips")] public IReadOnlyList<FixedIpRequest>? FixedIps { get; init; }

    [JsonPropertyName("mac_address")] public string? MacAddress { get; init; }

    /// <summary><see langword="null"/>: the project's default group; empty: no group.</summary>
    [JsonPropertyName("security_groups")] public IReadOnlyList<string>? SecurityGroups { get; init; }

    [JsonPropertyName("allowed_address_pairs")] public IReadOnlyList<AllowedAddressPair>? AllowedAddressPairs { get; init; }

    [JsonPropertyName("admin_state_up")] public bool? AdminStateUp { get; init; }

    [JsonPropertyName("port_security_enabled")] public bool? PortSecurityEnabled { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("binding:host_id")] public string? BindingHostId { get; init; }

    [JsonPropertyName("binding:vnic_type")] public string? BindingVnicType { get; init; }

    [JsonPropertyName("binding:profile")] public IReadOnlyDictionary<string, JsonElement>? BindingProfile { get; init; }

    [JsonPropertyName("tags")] public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>A requested address: a subnet, an address, or both.</summary>
public sealed record FixedIpRequest
{
    [JsonPropertyName("subnet_id")] public string? SubnetId { get; init; }

    [JsonPropertyName("ip_address")] public string? IpAddress { get; init; }
}
