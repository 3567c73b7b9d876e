using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Results;
using Kuryr.Cni.Spec.Vifs;
using Kuryr.Vifs.Model;

namespace Kuryr.Cni.Spec.Tests.Vifs;

public sealed class VifResultBuilderTests
{
    internal static VifOpenVSwitch Vif(string mac, string cidr, string gateway, string[] ips, (string Cidr, string Gw)[]? routes = null, string[]? dns = null) => new()
    {
        Id = Guid.NewGuid().ToString(),
        Address = mac,
        Network = new VifNetwork
        {
            Mtu = 1450,
            Subnets = new OvoList<VifSubnet>(VifSubnet.ListName,
            [
                new VifSubnet
                {
                    Cidr = cidr,
                    Gateway = gateway,
                    Dns = dns ?? [],
                    Ips = new OvoList<VifFixedIp>(VifFixedIp.ListName, ips.Select(a => new VifFixedIp { Address = a })),
                    Routes = new OvoList<VifRoute>(VifRoute.ListName, (routes ?? []).Select(r => new VifRoute { Cidr = r.Cidr, Gateway = r.Gw })),
                },
            ]),
        },
    };

    [Fact]
    public void Kuryrs_shape_plus_the_default_route_for_the_default_interface()
    {
        var eth0 = Vif("fa:16:3e:00:00:01", "10.1.0.0/26", "10.1.0.1", ["10.1.0.5"], [("192.168.0.0/16", "10.1.0.2")], ["10.1.0.2", "8.8.8.8"]);
        var net1 = Vif("fa:16:3e:00:00:02", "fd00::/64", "fd00::1", ["fd00::7"], dns: ["8.8.8.8"]);
        var result = VifResultBuilder.Build([new PluggedVif("eth0", eth0, true), new PluggedVif("net1", net1, false)], "/var/run/netns/p");

        Assert.Equal(["eth0", "net1"], result.Interfaces!.Select(i => i.Name));
        Assert.All(result.Interfaces!, i => Assert.Equal("/var/run/netns/p", i.Sandbox));
        Assert.Equal("fa:16:3e:00:00:02", result.Interfaces![1].Mac);
        Assert.Collection(result.Ips!,
            ip => { Assert.Equal("10.1.0.5/26", ip.Address); Assert.Equal("10.1.0.1", ip.Gateway); Assert.Equal(0, ip.Interface); },
            ip => { Assert.Equal("fd00::7/64", ip.Address); Assert.Equal(1, ip.Interface); });
        Assert.Equal([("192.168.0.0/16", "10.1.0.2"), ("0.0.0.0/0", "10.1.0.1")], result.Routes!.Select(r => (r.Dst, r.Gw!)));
        Assert.Equal(["10.1.0.2", "8.8.8.8"], result.Dns!.Nameservers);

        var printed = CniResultConverter.Write(result, "0.3.1");
        Assert.Equal("6", printed["ips"]![1]!["version"]!.GetValue<string>());
    }

    [Fact]
    public void Host_ends_come_after_the_pod_interfaces_without_sandbox_and_ips_keep_indexing_the_pod_interfaces()
    {
        var eth0 = Vif("fa:16:3e:00:00:01", "10.1.0.0/26", "10.1.0.1", ["10.1.0.5"]);
        var net1 = Vif("fa:16:3e:00:00:02", "10.2.0.0/26", "10.2.0.1", ["10.2.0.6"]);
        var result = VifResultBuilder.Build(
            [new PluggedVif("eth0", eth0, true), new PluggedVif("net1", net1, false)],
            "/var/run/netns/p",
            [new HostInterface("tap0123", "aa:bb:cc:00:00:01"), new HostInterface("tap4567", "aa:bb:cc:00:00:02")]);

        Assert.Equal(["eth0", "net1", "tap0123", "tap4567"], result.Interfaces!.Select(i => i.Name));
        Assert.Equal(["/var/run/netns/p", "/var/run/netns/p", null, null], result.Interfaces!.Select(i => i.Sandbox));
        Assert.Equal("aa:bb:cc:00:00:02", result.Interfaces![3].Mac);
        Assert.Equal([0, 1], result.Ips!.Select(ip => ip.Interface));
        var printed = CniResultConverter.Write(result, "1.0.0");
        Assert.Null(printed["interfaces"]![2]!["sandbox"]);
    }

    [Fact]
    public void A_host_interface_without_a_name_is_an_error()
    {
        var eth0 = Vif("fa:16:3e:00:00:01", "10.1.0.0/26", "10.1.0.1", ["10.1.0.5"]);
        var e = Assert.Throws<CniException>(() => VifResultBuilder.Build([new PluggedVif("eth0", eth0, true)], "/ns", [new HostInterface(" ", null)]));
        Assert.Contains("host interface has no name", e.Error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ipv6_default_interface_gets_a_v6_default_route()
    {
        var result = VifResultBuilder.Build([new PluggedVif("eth0", Vif("fa:16:3e:00:00:03", "fd00::/64", "fd00::1", ["fd00::9"]), true)], "/ns");
        Assert.Equal("::/0", Assert.Single(result.Routes!).Dst);
        Assert.Null(result.Dns);
    }

    [Fact]
    public void A_subnet_with_a_broken_cidr_is_a_decode_error_naming_the_vif()
    {
        var vif = Vif("fa:16:3e:00:00:04", "10.0.0.0", "10.0.0.1", ["10.0.0.3"]);
        var error = Assert.Throws<CniException>(() => VifResultBuilder.Build([new PluggedVif("eth0", vif, true)], "/ns")).Error;
        Assert.Equal(CniErrorCodes.DecodeFailure, error.Code);
        Assert.Contains(vif.Id!, error.Msg, StringComparison.Ordinal);
    }
}
