using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Subnets;
using Kuryr.Pools.Drivers.Nested;
using Kuryr.Vifs;
using Kuryr.Vifs.Model;

namespace Kuryr.Pools.Tests.Drivers.Nested;

/// <summary>The VIFVlanNested built for a subport (pure mapping from Neutron's answers).</summary>
public sealed class NestedVlanVifsTests
{
    [Fact]
    public void The_vif_carries_the_vlan_id_mac_network_and_only_the_ips_of_its_subnet()
    {
        var port = new Port
        {
            Id = "0123456789abcdef-port",
            MacAddress = "fa:16:3e:00:00:01",
            Status = "DOWN",
            FixedIps = [new FixedIp { SubnetId = "s1", IpAddress = "10.0.0.5" }, new FixedIp { SubnetId = "s2", IpAddress = "10.1.0.5" }],
        };
        var network = new Network { Id = "n1", Name = "pods", Mtu = 1450 };
        var subnet = new Subnet
        {
            Id = "s1",
            NetworkId = "n1",
            Cidr = "10.0.0.0/24",
            GatewayIp = "10.0.0.1",
            DnsNameservers = ["10.0.0.2"],
            HostRoutes = [new HostRoute { Destination = "10.9.0.0/16", Nexthop = "10.0.0.254" }],
        };

        var vif = Assert.IsType<VifVlanNested>(VifJson.Deserialize(NestedVlanVifs.Build(port, network, subnet, 123)));

        Assert.Equal(123, vif.VlanId);
        Assert.Equal("0123456789abcdef-port", vif.Id);
        Assert.Equal("tap0123456789a", vif.VifName);
        Assert.Equal("fa:16:3e:00:00:01", vif.Address);
        Assert.Equal("noop", vif.Plugin);
        Assert.False(vif.Active);
        Assert.Equal(1450, vif.Network!.Mtu);
        Assert.Equal("pods", vif.Network.Label);
        var s = Assert.Single(vif.Network.Subnets!.Items);
        Assert.Equal("10.0.0.0/24", s.Cidr);
        Assert.Equal("10.0.0.1", s.Gateway);
        Assert.Equal(["10.0.0.2"], s.Dns!);
        Assert.Equal("10.9.0.0/16", Assert.Single(s.Routes!.Items).Cidr);
        Assert.Equal(["10.0.0.5"], s.Ips!.Items.Select(i => i.Address));
    }

    [Fact]
    public void An_active_port_gives_an_active_vif()
    {
        var vif = VifJson.Deserialize(NestedVlanVifs.Build(
            new Port { Id = "p", Status = "ACTIVE" }, new Network { Id = "n" }, new Subnet { Id = "s", NetworkId = "n", Cidr = "10.0.0.0/24" }, 1));
        Assert.True(vif.Active);
    }
}
