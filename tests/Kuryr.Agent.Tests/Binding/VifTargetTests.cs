using Kuryr.Agent.Binding;
using Kuryr.Agent.Binding.Drivers;
using Kuryr.Vifs.Model;

namespace Kuryr.Agent.Tests.Binding;

/// <summary>Pure logic: MTU choice, VIF validation, L3 plan parsing.</summary>
public sealed class VifTargetTests
{
    [Theory]
    [InlineData(1450, 0, 1450)]
    [InlineData(1450, 1400, 1400)]
    [InlineData(1450, 9000, 1450)]
    [InlineData(null, 1400, 1400)]
    [InlineData(null, 0, null)]
    public void Mtu_is_the_network_mtu_lowered_to_network_device_mtu(int? network, int device, int? expected)
        => Assert.Equal(expected, VifTarget.EffectiveMtu(network, device));

    private static VifOpenVSwitch Vif() => new()
    {
        Id = "0b7c1e6a-1111-2222-3333-444455556666",
        Address = "fa:16:3e:00:00:01",
        Network = new VifNetwork { Mtu = 1450, Subnets = new OvoList<VifSubnet>(VifSubnet.ListName, [new VifSubnet { Cidr = "10.0.0.0/24", Gateway = "10.0.0.1", Ips = new OvoList<VifFixedIp>(VifFixedIp.ListName, [new VifFixedIp { Address = "10.0.0.5" }]) }]) },
    };

    [Fact]
    public void Defaults_the_host_name_to_tap_plus_port_id_and_the_default_vif_to_the_cni_ifname()
    {
        var t = VifTarget.From(new PodVif("eth0", true, Vif()), "net0", 0, "uid");
        Assert.Equal("tap0b7c1e6a-11", t.HostName);
        Assert.Equal("net0", t.InterfaceName);
        Assert.Equal(1450, t.Mtu);
    }

    [Theory]
    [InlineData("address", "vifs[eth1].address")]
    [InlineData("badmac", "vifs[eth1].address 'zz'")]
    [InlineData("id", "vifs[eth1].id")]
    [InlineData("network", "vifs[eth1].network")]
    [InlineData("cidr", "vifs[eth1].network.subnets[0].cidr")]
    [InlineData("ip", "vifs[eth1].network.subnets[0].ips")]
    [InlineData("gateway", "vifs[eth1].network.subnets[0].gateway")]
    public void Bad_vif_data_is_an_error_naming_the_field(string broken, string field)
    {
        var vif = Vif();
        var subnet = vif.Network!.Subnets!.Items[0];
        switch (broken)
        {
            case "address": vif.Address = null; break;
            case "badmac": vif.Address = "zz"; break;
            case "id": vif.Id = ""; break;
            case "network": vif.Network = null; break;
            case "cidr": subnet.Cidr = "10.0.0.0"; break;
            case "ip": subnet.Ips!.Items[0].Address = "fe80::1"; break;
            case "gateway": subnet.Gateway = "not-an-ip"; break;
        }

        var ex = Assert.Throws<VifBindingException>(() => L3Configurator.Plan(VifTarget.From(new PodVif("eth1", false, vif), "eth0", 0, "uid")));
        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void Only_the_default_vif_gets_a_default_route()
    {
        Assert.NotNull(L3Configurator.Plan(VifTarget.From(new PodVif("eth0", true, Vif()), "eth0", 0, "u")).DefaultGateway4);
        Assert.Null(L3Configurator.Plan(VifTarget.From(new PodVif("eth1", false, Vif()), "eth0", 0, "u")).DefaultGateway4);
    }
}
