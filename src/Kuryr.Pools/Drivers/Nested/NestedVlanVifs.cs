using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Subnets;
using Kuryr.Vifs;
using Kuryr.Vifs.Model;

namespace Kuryr.Pools.Drivers.Nested;

/// <summary>
/// Builds Kuryr's <c>VIFVlanNested</c> for a trunk subport, as
/// <c>os_vif_util.neutron_to_osvif_vif_nested_vlan</c> does: id, MAC, the os-vif Network (one
/// Subnet holding the port's fixed IPs in it), <c>vlan_id</c> = the subport's segmentation id,
/// <c>vif_name</c> = <c>tap</c> + port id (14 characters), <c>plugin</c> = <c>noop</c>,
/// <c>active</c> = Neutron status ACTIVE.
/// </summary>
internal static class NestedVlanVifs
{
    public const string NoopPlugin = "noop";

    public static string Build(Port port, Network network, Subnet subnet, int vlanId)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(subnet);
        var vifSubnet = new VifSubnet
        {
            Cidr = subnet.Cidr,
            Dns = [.. subnet.DnsNameservers],
            Gateway = subnet.GatewayIp,
            Routes = new OvoList<VifRoute>(VifRoute.ListName, subnet.HostRoutes.Select(r => new VifRoute { Cidr = r.Destination, Gateway = r.Nexthop })),
            Ips = new OvoList<VifFixedIp>(VifFixedIp.ListName, port.FixedIps
                .Where(ip => ip.SubnetId == subnet.Id && ip.IpAddress is not null)
                .Select(ip => new VifFixedIp { Address = ip.IpAddress })),
        };
        var vifNetwork = new VifNetwork
        {
            Id = network.Id,
            Label = network.Name,
            Mtu = network.Mtu,
            Subnets = new OvoList<VifSubnet>(VifSubnet.ListName, [vifSubnet]),
        }.WithOsVifDefaults();
        var vif = new VifVlanNested
        {
            Id = port.Id,
            Address = port.MacAddress,
            Network = vifNetwork,
            VlanId = vlanId,
            VifName = VifNames.Tap(port.Id),
            Plugin = NoopPlugin,
            Active = string.Equals(port.Status, "ACTIVE", StringComparison.Ordinal),
            PreserveOnDelete = false,
            HasTrafficFiltering = false,
        };
        return VifJson.Serialize(vif);
    }
}
