using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kuryr.Agent.Binding;
using Kuryr.Netlink.Namespaces;
using Kuryr.Vifs.Model;

namespace Kuryr.Agent.Tests.Binding;

/// <summary>OVS and OVS-hybrid binding on the real kernel and the test bed's br-int (userspace datapath).</summary>
public sealed class OvsBindingTests : IAsyncLifetime
{
    private BindingHarness _h = null!;

    public async Task InitializeAsync() => _h = await BindingHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static string Subnet() => $"10.{Random.Shared.Next(100, 200)}.{Random.Shared.Next(1, 250)}";

    [Fact]
    public async Task Ovs_plug_gives_the_pod_interface_mac_mtu_addresses_routes_and_puts_the_host_end_on_br_int_with_external_ids()
    {
        var ns = await _h.NewNamespaceAsync();
        var net = Subnet();
        var vif = _h.Vif<VifOpenVSwitch>($"{net}.5", $"{net}.0/24", $"{net}.1", mtu: 1400);
        var request = BindingHarness.Request(ns, vif);

        var plugged = await _h.Plugger.PlugAsync(request, CancellationToken.None);

        // The pod interface, then the host end of its veth (no sandbox; MAC as the kernel has it).
        var hostMac = (await BindingHarness.RunAsync("cat", $"/sys/class/net/{vif.VifName}/address")).Trim();
        Assert.Equal([new PluggedInterface("eth0", vif.Address!, request.NetnsPath), new PluggedInterface(vif.VifName!, hostMac, "")], plugged);

        // Our own netlink reads.
        using (var nsHandle = NetworkNamespace.OpenNamed(ns))
        using (var pod = await _h.Netlink.OpenAsync(nsHandle))
        {
            var eth0 = (await pod.GetLinkAsync("eth0"))!;
            Assert.Equal(1400, eth0.Mtu);
            Assert.Equal(vif.Address, string.Join(':', eth0.MacAddress!.GetAddressBytes().Select(b => b.ToString("x2"))));
            Assert.True(eth0.IsUp);
            var addrs = await pod.ListAddressesAsync(AddressFamily.InterNetwork, eth0.Index);
            Assert.Contains(addrs, a => a.Address.Equals(IPAddress.Parse($"{net}.5")) && a.PrefixLength == 24);
            var routes = await pod.ListRoutesAsync(AddressFamily.InterNetwork);
            Assert.Contains(routes, r => r.IsDefault && r.Table == 254 && Equals(r.Gateway, IPAddress.Parse($"{net}.1")));
            Assert.Contains(routes, r => r.PrefixLength == 24 && Equals(r.Destination, IPAddress.Parse("192.168.250.0")) && Equals(r.Gateway, IPAddress.Parse($"{net}.1")));
        }

        // iproute2 as the oracle.
        var link = (await BindingHarness.IpJsonAsync("-n", ns, "addr", "show", "dev", "eth0"))[0];
        Assert.Equal(vif.Address, link.GetProperty("address").GetString());
        Assert.Equal(1400, link.GetProperty("mtu").GetInt32());
        Assert.Contains(link.GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("local").GetString() == $"{net}.5" && a.GetProperty("prefixlen").GetInt32() == 24);
        var routesJson = await BindingHarness.IpJsonAsync("-n", ns, "route", "show");
        Assert.Contains(routesJson.EnumerateArray(), r => r.GetProperty("dst").GetString() == "default" && r.GetProperty("gateway").GetString() == $"{net}.1" && r.GetProperty("dev").GetString() == "eth0");
        Assert.Contains(routesJson.EnumerateArray(), r => r.GetProperty("dst").GetString() == "192.168.250.0/24" && r.GetProperty("gateway").GetString() == $"{net}.1");

        // Host end: up, same MTU, on br-int with the external ids (ovs-vsctl as the oracle).
        var host = (await BindingHarness.IpJsonAsync("link", "show", "dev", vif.VifName!))[0];
        Assert.Equal(1400, host.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", host.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(_h.Bridge, await _h.VsctlAsync("port-to-br", vif.VifName!));
        Assert.Equal($"\"{vif.Id}\"", await _h.VsctlAsync("get", "Interface", vif.VifName!, "external_ids:iface-id"));
        Assert.Equal("active", await _h.VsctlAsync("get", "Interface", vif.VifName!, "external_ids:iface-status"));
        Assert.Equal($"\"{vif.Address}\"", await _h.VsctlAsync("get", "Interface", vif.VifName!, "external_ids:attached-mac"));
        Assert.Equal($"\"{request.PodUid}\"", await _h.VsctlAsync("get", "Interface", vif.VifName!, "external_ids:vm-uuid"));

        Assert.Empty(await _h.Plugger.CheckAsync(request, CancellationToken.None));
    }

    [Fact]
    public async Task Two_ovs_pods_ping_each_other_over_br_int()
    {
        await _h.OfctlAsync("add-flow", "priority=0,actions=NORMAL");
        var net = Subnet();
        var nsA = await _h.NewNamespaceAsync();
        var nsB = await _h.NewNamespaceAsync();
        var a = BindingHarness.Request(nsA, _h.Vif<VifOpenVSwitch>($"{net}.11", $"{net}.0/24", $"{net}.1"));
        var b = BindingHarness.Request(nsB, _h.Vif<VifOpenVSwitch>($"{net}.12", $"{net}.0/24", $"{net}.1"));
        await _h.Plugger.PlugAsync(a, CancellationToken.None);
        await _h.Plugger.PlugAsync(b, CancellationToken.None);

        var ping = await BindingHarness.TryRunAsync("ip", "netns", "exec", nsA, "ping", "-c", "3", "-i", "0.2", "-W", "3", $"{net}.12");
        Assert.True(ping.Code == 0, $"ping A→B failed: {ping.Stdout} {ping.Stderr}");
        var back = await BindingHarness.TryRunAsync("ip", "netns", "exec", nsB, "ping", "-c", "1", "-W", "3", $"{net}.11");
        Assert.True(back.Code == 0, $"ping B→A failed: {back.Stdout} {back.Stderr}");

        // B unplugged: A can no longer reach it.
        await _h.Plugger.UnplugAsync(BindingHarness.Unplug(b), CancellationToken.None);
        await BindingHarness.RunAsync("ip", "-n", nsA, "neigh", "flush", "all");
        var after = await BindingHarness.TryRunAsync("ip", "netns", "exec", nsA, "ping", "-c", "1", "-W", "1", $"{net}.12");
        Assert.NotEqual(0, after.Code);
    }

    [Fact]
    public async Task Unplug_removes_everything_succeeds_twice_and_after_the_netns_was_deleted()
    {
        var net = Subnet();
        var ns = await _h.NewNamespaceAsync();
        var vif = _h.Vif<VifOpenVSwitch>($"{net}.5", $"{net}.0/24", $"{net}.1");
        var request = BindingHarness.Request(ns, vif);
        await _h.Plugger.PlugAsync(request, CancellationToken.None);

        await _h.Plugger.UnplugAsync(BindingHarness.Unplug(request), CancellationToken.None);
        Assert.False(File.Exists($"/sys/class/net/{vif.VifName}/ifindex"));
        Assert.DoesNotContain(vif.VifName!, (await _h.VsctlAsync("list-ports", _h.Bridge)).Split('\n'));
        Assert.Empty((await BindingHarness.IpJsonAsync("-n", ns, "link", "show", "type", "veth")).EnumerateArray());
        await _h.Plugger.UnplugAsync(BindingHarness.Unplug(request), CancellationToken.None);

        // Plug again, delete the netns (the pod end and its veth peer die with it), then unplug.
        await _h.Plugger.PlugAsync(request, CancellationToken.None);
        _h.Runner.DeleteNamed(ns);
        await _h.Plugger.UnplugAsync(BindingHarness.Unplug(request), CancellationToken.None);
        var ports = await _h.VsctlAsync("list-ports", _h.Bridge);
        Assert.DoesNotContain(vif.VifName!, ports.Split('\n'));
        await _h.Plugger.UnplugAsync(BindingHarness.Unplug(request), CancellationToken.None);
    }

    [Fact]
    public async Task Unplug_without_vifs_finds_the_ovs_port_through_the_pod_interface_peer()
    {
        var net = Subnet();
        var ns = await _h.NewNamespaceAsync();
        var vif = _h.Vif<VifOpenVSwitch>($"{net}.5", $"{net}.0/24", $"{net}.1");
        var request = BindingHarness.Request(ns, vif);
        await _h.Plugger.PlugAsync(request, CancellationToken.None);

        await _h.Plugger.UnplugAsync(new UnplugRequest(request.ContainerId, request.NetnsPath, "eth0", []), CancellationToken.None);

        Assert.DoesNotContain(vif.VifName!, (await _h.VsctlAsync("list-ports", _h.Bridge)).Split('\n'));
        Assert.False(File.Exists($"/sys/class/net/{vif.VifName}/ifindex"));
        Assert.NotEqual(0, (await BindingHarness.TryRunAsync("ip", "-n", ns, "link", "show", "dev", "eth0")).Code);
    }

    [Fact]
    public async Task Check_reports_a_removed_address_and_a_deleted_ovs_port()
    {
        var net = Subnet();
        var ns = await _h.NewNamespaceAsync();
        var vif = _h.Vif<VifOpenVSwitch>($"{net}.5", $"{net}.0/24", $"{net}.1");
        var request = BindingHarness.Request(ns, vif);
        await _h.Plugger.PlugAsync(request, CancellationToken.None);
        Assert.Empty(await _h.Plugger.CheckAsync(request, CancellationToken.None));

        await BindingHarness.RunAsync("ip", "-n", ns, "addr", "del", $"{net}.5/24", "dev", "eth0");
        var problems = await _h.Plugger.CheckAsync(request, CancellationToken.None);
        Assert.Contains(problems, p => p.Contains($"address {net}.5/24 is missing"));

        await _h.VsctlAsync("del-port", _h.Bridge, vif.VifName!);
        problems = await _h.Plugger.CheckAsync(request, CancellationToken.None);
        Assert.Contains(problems, p => p.Contains($"OVS port {vif.VifName} is missing"));
    }

    [Fact]
    public async Task Check_compares_the_mac_with_prev_results_when_given_and_with_the_vifs_otherwise()
    {
        var net = Subnet();
        var ns = await _h.NewNamespaceAsync();
        var vif = _h.Vif<VifOpenVSwitch>($"{net}.5", $"{net}.0/24", $"{net}.1");
        var request = BindingHarness.Request(ns, vif);
        await _h.Plugger.PlugAsync(request, CancellationToken.None);

        // What tuning "mac" does.
        await BindingHarness.RunAsync("ip", "-n", ns, "link", "set", "dev", "eth0", "address", "c2:00:00:00:00:07");
        var problems = await _h.Plugger.CheckAsync(request, CancellationToken.None);
        Assert.Contains(problems, p => p.Contains($"MAC is c2:00:00:00:00:07, expected {vif.Address}"));
        Assert.Empty(await _h.Plugger.CheckAsync(request with { ExpectedMacs = new Dictionary<string, string> { ["eth0"] = "C2:00:00:00:00:07" } }, CancellationToken.None));
        problems = await _h.Plugger.CheckAsync(request with { ExpectedMacs = new Dictionary<string, string> { ["eth0"] = vif.Address! } }, CancellationToken.None);
        Assert.Contains(problems, p => p.Contains($"expected {vif.Address}"));
    }

    [Fact]
    public async Task Plug_retried_after_a_half_done_attempt_leaves_one_interface_with_one_address()
    {
        var net = Subnet();
        var ns = await _h.NewNamespaceAsync();
        var vif = _h.Vif<VifOpenVSwitch>($"{net}.5", $"{net}.0/24", $"{net}.1");
        var request = BindingHarness.Request(ns, vif);

        // What a crashed attempt leaves: the veth (host end tap..., pod end eth0) with a stale address, and the OVS port.
        await BindingHarness.RunAsync("ip", "link", "add", vif.VifName!, "type", "veth", "peer", "name", "eth0", "netns", ns);
        await BindingHarness.RunAsync("ip", "-n", ns, "addr", "add", $"{net}.99/24", "dev", "eth0");
        await _h.VsctlAsync("add-port", _h.Bridge, vif.VifName!);

        await _h.Plugger.PlugAsync(request, CancellationToken.None);
        await _h.Plugger.PlugAsync(request, CancellationToken.None); // and a plain retry of a successful one

        var links = await BindingHarness.IpJsonAsync("-n", ns, "link", "show", "type", "veth");
        Assert.Single(links.EnumerateArray());
        var addr = (await BindingHarness.IpJsonAsync("-n", ns, "-4", "addr", "show", "dev", "eth0"))[0];
        Assert.Equal([$"{net}.5"], addr.GetProperty("addr_info").EnumerateArray().Select(a => a.GetProperty("local").GetString()));
        Assert.Single((await _h.VsctlAsync("list-ports", _h.Bridge)).Split('\n'), p => p == vif.VifName);
        Assert.Empty(await _h.Plugger.CheckAsync(request, CancellationToken.None));
    }

    [Fact]
    public async Task Hybrid_plug_builds_qbr_qvb_qvo_and_unplug_removes_them()
    {
        var net = Subnet();
        var ns = await _h.NewNamespaceAsync();
        var vif = _h.Vif<VifBridge>($"{net}.5", $"{net}.0/24", $"{net}.1");
        string qbr = ("qbr" + vif.Id)[..14], qvb = ("qvb" + vif.Id)[..14], qvo = ("qvo" + vif.Id)[..14];
        vif.BridgeName = qbr;
        var request = BindingHarness.Request(ns, vif);

        var plugged = await _h.Plugger.PlugAsync(request, CancellationToken.None);

        // The host-side entry is the pod veth's peer (the tap on qbr), which is what bandwidth shapes.
        Assert.Equal(["eth0", vif.VifName!], plugged.Select(p => p.Name));
        Assert.Equal("", plugged[1].Sandbox);
        var tap = (await BindingHarness.IpJsonAsync("-d", "link", "show", "dev", vif.VifName!))[0];
        Assert.Equal(tap.GetProperty("address").GetString(), plugged[1].Mac);
        Assert.Equal(qbr, tap.GetProperty("master").GetString());
        var qvbJson = (await BindingHarness.IpJsonAsync("-d", "link", "show", "dev", qvb))[0];
        Assert.Equal(qbr, qvbJson.GetProperty("master").GetString());
        Assert.Equal(_h.Bridge, await _h.VsctlAsync("port-to-br", qvo));
        Assert.Equal($"\"{vif.Id}\"", await _h.VsctlAsync("get", "Interface", qvo, "external_ids:iface-id"));
        Assert.Equal("veth", (await BindingHarness.IpJsonAsync("-n", ns, "-d", "link", "show", "dev", "eth0"))[0].GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Empty(await _h.Plugger.CheckAsync(request, CancellationToken.None));

        await _h.Plugger.UnplugAsync(BindingHarness.Unplug(request), CancellationToken.None);
        foreach (var n in new[] { qbr, qvb, qvo, vif.VifName! })
        {
            Assert.False(File.Exists($"/sys/class/net/{n}/ifindex"), n + " is still there");
        }

        Assert.DoesNotContain(qvo, (await _h.VsctlAsync("list-ports", _h.Bridge)).Split('\n'));
        await _h.Plugger.UnplugAsync(BindingHarness.Unplug(request), CancellationToken.None);
    }

    [Fact]
    public async Task Thirty_concurrent_ovs_plugs_into_thirty_namespaces_all_succeed()
    {
        var net = Subnet();
        var requests = new List<PlugRequest>();
        for (int i = 0; i < 30; i++)
        {
            var ns = await _h.NewNamespaceAsync();
            requests.Add(BindingHarness.Request(ns, _h.Vif<VifOpenVSwitch>($"{net}.{i + 10}", $"{net}.0/24", $"{net}.1")));
        }

        var sw = Stopwatch.StartNew();
        await Task.WhenAll(requests.Select(r => _h.Plugger.PlugAsync(r, CancellationToken.None)));
        sw.Stop();
        Console.WriteLine($"30 concurrent OVS plugs: {sw.ElapsedMilliseconds} ms");

        var problems = await Task.WhenAll(requests.Select(r => _h.Plugger.CheckAsync(r, CancellationToken.None)));
        Assert.All(problems, Assert.Empty);
        var ports = (await _h.VsctlAsync("list-ports", _h.Bridge)).Split('\n');
        Assert.All(requests, r => Assert.Contains(r.Vifs[0].Vif.VifName!, ports));

        await Task.WhenAll(requests.Select(r => _h.Plugger.UnplugAsync(BindingHarness.Unplug(r), CancellationToken.None)));
        ports = (await _h.VsctlAsync("list-ports", _h.Bridge)).Split('\n');
        Assert.All(requests, r => Assert.DoesNotContain(r.Vifs[0].Vif.VifName!, ports));
    }

    [Fact]
    public async Task Bug_the_cleanup_after_a_plug_into_a_missing_bridge_threw_and_hid_the_error_naming_the_bridge()
    {
        var net = Subnet();
        var ns = await _h.NewNamespaceAsync();
        var vif = _h.Vif<VifOpenVSwitch>($"{net}.5", $"{net}.0/24", $"{net}.1");
        vif.BridgeName = "br-nope" + BindingHarness.Hex(4);
        var ex = await Assert.ThrowsAsync<VifBindingException>(() => _h.Plugger.PlugAsync(BindingHarness.Request(ns, vif), CancellationToken.None));
        Assert.Contains(vif.BridgeName, ex.Message);
        Assert.False(File.Exists($"/sys/class/net/{vif.VifName}/ifindex"));
        Assert.Empty((await BindingHarness.IpJsonAsync("-n", ns, "link", "show", "type", "veth")).EnumerateArray());
    }
}
