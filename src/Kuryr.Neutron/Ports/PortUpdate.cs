using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kuryr.Neutron.Ports;

/// <summary>
/// Body of a port update: a <see langword="null"/> member is left untouched, a set member is
/// replaced (<c>SecurityGroups = []</c> removes every group, <c>BindingHostId = ""</c> unbinds).
/// </summary>
public sealed record PortUpdate
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("device_id")] public string? DeviceId { get; init; }

    [JsonPropertyName("device_owner")] public string? DeviceOwner { get; init; }

    [JsonPropertyName("security_groups")] public IReadOnlyList<string>? SecurityGroups { get; init; }

    [JsonPropertyName("allowed_address_pairs")] public IReadOnlyList<AllowedAddressPair>? AllowedAddressPairs { get; init; }

    [JsonPropertyName("admin_state_up")] public bool? AdminStateUp { get; init; }

    [JsonPropertyName("port_security_enabled")] public bool? PortSecurityEnabled { get; init; }

    /// <summary>Admin-only by Neutron's default policy.</summary>
    [JsonPropertyName("binding:host_id")] public string? BindingHostId { get; init; }

    [JsonPropertyName("binding:profile")] public IReadOnlyDictionary<string, JsonElement>? BindingProfile { get; init; }

    internal bool IsEmpty =>
        Name is null && Description is null && DeviceId is null && DeviceOwner is null && SecurityGroups is null
        && AllowedAddressPairs is null && AdminStateUp is null && PortSecurityEnabled is null && BindingHostId is null
        && BindingProfile is null;
}
