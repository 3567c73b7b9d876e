using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Models;
using Kuryr.Vifs;
using Kuryr.Vifs.Model;

namespace Kuryr.Testing.Agent;

/// <summary>VIFs and KuryrPorts as the controller writes them, for agent tests.</summary>
public static class AgentTestVifs
{
    /// <summary>A VIFOpenVSwitch on br-int with one fixed IP in <paramref name="cidr"/>.</summary>
    public static VifOpenVSwitch Ovs(string address, string cidr = "10.77.0.0/24", string gateway = "10.77.0.1", string? mac = null, bool active = true, int mtu = 1450)
    {
        var portId = Guid.NewGuid().ToString();
        mac ??= "fa:16:3e:" + string.Join(':', Guid.NewGuid().ToByteArray()[..3].Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        var subnet = new VifSubnet
        {
            Cidr = cidr,
            Gateway = gateway,
            Dns = ["10.77.0.2"],
            Ips = new OvoList<VifFixedIp>(VifFixedIp.ListName, [new VifFixedIp { Address = address }]),
            Routes = new OvoList<VifRoute>(VifRoute.ListName),
        };
        return new VifOpenVSwitch
        {
            Id = portId,
            Address = mac,
            Active = active,
            Plugin = "ovs",
            PreserveOnDelete = false,
            HasTrafficFiltering = true,
            VifName = ("tap" + portId)[..14],
            BridgeName = "br-int",
            Network = new VifNetwork { Id = Guid.NewGuid().ToString(), Bridge = "br-int", Mtu = mtu, Subnets = new OvoList<VifSubnet>(VifSubnet.ListName, [subnet]) }.WithOsVifDefaults(),
            PortProfile = new VifPortProfileOpenVSwitch { InterfaceId = portId },
        };
    }

    /// <summary>status.vifs map: <c>eth0</c> default, then <c>eth1</c>, ...</summary>
    public static JsonObject VifsMap(params VifBase[] vifs)
    {
        var map = new JsonObject();
        for (var i = 0; i < vifs.Length; i++)
        {
            map["eth" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject { ["default"] = i == 0, ["vif"] = VifJson.ToNode(vifs[i]) };
        }

        return map;
    }

    /// <summary>A KuryrPort for pod <paramref name="name"/> on <paramref name="node"/> (label + spec), with <paramref name="vifs"/> in status.</summary>
    public static KuryrPort KuryrPort(string ns, string name, string podUid, string node, params VifBase[] vifs)
    {
        var status = new KuryrPortStatus();
        for (var i = 0; i < vifs.Length; i++)
        {
            status.Vifs["eth" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new KuryrPortVif { Default = i == 0, Vif = (JsonObject)VifJson.ToNode(vifs[i]) };
        }

        return new KuryrPort
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["kuryr.openstack.org/nodeName"] = node } },
            Spec = new KuryrPortSpec { PodUid = podUid, PodNodeName = node },
            Status = status,
        };
    }
}
