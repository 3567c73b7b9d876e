using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Subnets;
using Kuryr.Vifs;
using Kuryr.Vifs.Model;

namespace Kuryr.Pools.Drivers.Common;

/// <summary>
/// Builds Kuryr's os-vif objects from Neutron resources (Kuryr's <c>os_vif_util</c>): one Network
/// holding the pod subnet, the port's fixed IPs on it, MTU and routes.
/// </summary>
public static class NeutronVifMapper
{
    /// <summary>Neutron's vif_type of a port bound by the OVS agent.</summary>
    public const string OvsVifType = "ovs";

    /// <summary>os-vif plugin of the nested VIFs.</summary>
    public const string NoopPlugin = "noop";

    /// <summary>The Network (with its one Subnet, without IPs) of <paramref name="subnet"/>.
    /// MTU: the network's, lowered to <paramref name="networkDeviceMtu"/> when that is set (&gt; 0).</summary>
    public static VifNetwork BuildNetwork(Network network, Subnet subnet, int networkDeviceMtu = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(subnet);
        int? mtu = network.Mtu;
        if (networkDeviceMtu > 0)
        {
            mtu = mtu is int m ? Math.Min(m, networkDeviceMtu) : networkDeviceMtu;
        }

        var vifSubnet = new VifSubnet
        {
            Cidr = subnet.Cidr,
            Dns = [.. subnet.DnsNameservers],
            Gateway = string.IsNullOrEmpty(subnet.GatewayIp) ? null : subnet.GatewayIp,
            Routes = new OvoList<VifRoute>(VifRoute.ListName, subnet.HostRoutes.Select(r => new VifRoute { Cidr = r.Destination, Gateway = r.Nexthop })),
            Ips = new OvoList<VifFixedIp>(VifFixedIp.ListName),
        };
        var result = new VifNetwork
        {
            Id = network.Id,
            Label = network.Name,
            Mtu = mtu,
            Subnets = new OvoList<VifSubnet>(VifSubnet.ListName, [vifSubnet]),
        }.WithOsVifDefaults();
        if (network.ProviderNetworkType == "vlan" && network.ProviderSegmentationId is int vlan)
        {
            result.ShouldProvideVlan = true;
            result.Vlan = vlan;
        }

        return result;
    }

    /// <summary>A bare-metal pod VIF (Kuryr's <c>neutron_to_osvif_vif_ovs</c>): <c>VIFBridge</c> when
    /// the binding asks for hybrid plug, else <c>VIFOpenVSwitch</c>. <paramref name="vifType"/> and
    /// <paramref name="vifDetails"/> may come from another port of the same bulk create (Neutron bug
    /// 1696051: bulk create answers without binding details).</summary>
    public static VifBase ToOvsVif(Port port, Network network, Subnet subnet, string ovsBridge, int networkDeviceMtu,
        string? vifType = null, IReadOnlyDictionary<string, System.Text.Json.JsonElement>? vifDetails = null)
    {
        ArgumentNullException.ThrowIfNull(port);
        vifType ??= port.BindingVifType;
        vifDetails ??= port.BindingVifDetails;
        if (vifType != OvsVifType)
        {
            throw new PoolDriverException(
                $"port {port.Id}: binding:vif_type is \"{vifType}\" on host \"{port.BindingHostId}\"; the neutron pool driver needs \"{OvsVifType}\" (is an OVS agent running on that host?)");
        }

        var net = WithPortIps(BuildNetwork(network, subnet, networkDeviceMtu), port, subnet.Id);
        var bridge = Detail(vifDetails, "bridge_name") ?? ovsBridge;
        net.Bridge = bridge;
        var portFilter = DetailBool(vifDetails, "port_filter");
        var profile = new VifPortProfileOpenVSwitch { InterfaceId = port.Id };
        VifBase vif = DetailBool(vifDetails, "ovs_hybrid_plug")
            ? new VifBridge { BridgeName = VifNames.HybridBridge(port.Id) }
            : new VifOpenVSwitch { BridgeName = bridge };
        vif.Id = port.Id;
        vif.Address = port.MacAddress;
        vif.Network = net;
        vif.HasTrafficFiltering = portFilter;
        vif.PreserveOnDelete = false;
        vif.Active = IsActive(port);
        vif.PortProfile = profile;
        vif.Plugin = vifType;
        vif.VifName = VifNames.Tap(port.Id);
        return vif;
    }

    /// <summary>A nested VLAN VIF (Kuryr's <c>neutron_to_osvif_vif_nested_vlan</c>).</summary>
    public static VifVlanNested ToVlanNestedVif(Port port, Network network, Subnet subnet, int vlanId, int networkDeviceMtu = 0)
    {
        var vif = Nested<VifVlanNested>(port, network, subnet, networkDeviceMtu);
        vif.VlanId = vlanId;
        return vif;
    }

    /// <summary>A nested macvlan VIF (Kuryr's <c>neutron_to_osvif_vif_nested_macvlan</c>).</summary>
    public static VifMacvlanNested ToMacvlanNestedVif(Port port, Network network, Subnet subnet, int networkDeviceMtu = 0) =>
        Nested<VifMacvlanNested>(port, network, subnet, networkDeviceMtu);

    /// <summary>The fields every nested VIF takes from its port (plugin <c>noop</c>).</summary>
    private static T Nested<T>(Port port, Network network, Subnet subnet, int networkDeviceMtu)
        where T : VifBase, new()
    {
        ArgumentNullException.ThrowIfNull(port);
        return new T
        {
            Id = port.Id,
            Address = port.MacAddress,
            Network = WithPortIps(BuildNetwork(network, subnet, networkDeviceMtu), port, subnet.Id),
            HasTrafficFiltering = DetailBool(port.BindingVifDetails, "port_filter"),
            PreserveOnDelete = false,
            Active = IsActive(port),
            Plugin = NoopPlugin,
            VifName = VifNames.Tap(port.Id),
        };
    }

    /// <summary>Neutron <c>status == ACTIVE</c>.</summary>
    public static bool IsActive(Port port) => port?.Status == "ACTIVE";

    private static VifNetwork WithPortIps(VifNetwork network, Port port, string subnetId)
    {
        var subnet = network.Subnets!.Items[0];
        subnet.Ips = new OvoList<VifFixedIp>(VifFixedIp.ListName,
            port.FixedIps.Where(ip => ip.SubnetId == subnetId && ip.IpAddress is not null).Select(ip => new VifFixedIp { Address = ip.IpAddress }));
        if (subnet.Ips.Items.Count == 0)
        {
            throw new PoolDriverException($"port {port.Id} has no fixed IP on subnet {subnetId}");
        }

        return network;
    }

    private static string? Detail(IReadOnlyDictionary<string, System.Text.Json.JsonElement>? details, string key) =>
        details is not null && details.TryGetValue(key, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;

    private static bool DetailBool(IReadOnlyDictionary<string, System.Text.Json.JsonElement>? details, string key) =>
        details is not null && details.TryGetValue(key, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.True;
}
