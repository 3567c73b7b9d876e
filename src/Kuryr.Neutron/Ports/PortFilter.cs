using Kuryr.Neutron.Serialization;

namespace Kuryr.Neutron.Ports;

/// <summary>Port list filters; every member set must match (AND).</summary>
public sealed record PortFilter : NeutronFilter
{
    public string? NetworkId { get; init; }

    public string? DeviceOwner { get; init; }

    public string? DeviceId { get; init; }

    public string? Status { get; init; }

    public string? MacAddress { get; init; }

    /// <summary><c>binding:host_id=</c>.</summary>
    public string? BindingHostId { get; init; }

    /// <summary><c>fixed_ips=ip_address=A</c> / <c>fixed_ips=subnet_id=S</c>, one query key per member set.</summary>
    public IReadOnlyList<FixedIpRequest>? FixedIps { get; init; }

    private protected override void AddSpecific(List<KeyValuePair<string, string>> query)
    {
        Add(query, "network_id", NetworkId);
        Add(query, "device_owner", DeviceOwner);
        Add(query, "device_id", DeviceId);
        Add(query, "status", Status);
        Add(query, "mac_address", MacAddress);
        Add(query, "binding:host_id", BindingHostId);
        if (FixedIps is null)
        {
            return;
        }

        if (FixedIps.Count == 0)
        {
            throw InvalidField.Create("filter fixed_ips", "is empty; leave it null to not filter");
        }

        foreach (var ip in FixedIps)
        {
            if (ip is null || (ip.IpAddress is null && ip.SubnetId is null))
            {
                throw InvalidField.Create("filter fixed_ips", "has an entry with neither ip_address nor subnet_id");
            }

            Add(query, "fixed_ips", ip.IpAddress is null ? null : "ip_address=" + ip.IpAddress);
            Add(query, "fixed_ips", ip.SubnetId is null ? null : "subnet_id=" + ip.SubnetId);
        }
    }
}
