using Kuryr.Agent.Binding;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl.Model;
using Kuryr.Vifs.Model;

namespace Kuryr.Agent.Tests.Binding;

/// <summary>
/// Nested drivers. The "VM interface" is a host veth end whose peer sits up in a helper namespace
/// (macvlans need a parent with carrier). VLAN: this kernel has no 8021q, so the request our driver
/// issues is recorded on its way to the real kernel, which refuses it.
/// </summary>
public sealed class NestedBindingTests : IAsyncLifetime
{
    private readonly string _parent = "kpar" + BindingHarness.Hex(6);
    private BindingHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await BindingHarness.CreateAsync(linkIface: _parent);
        _h.TrackHostLink(_parent);
        var helper = await _h.NewNamespaceAsync();
        await BindingHarness.RunAsync("ip", "link", "add", _parent, "mtu", "1500", "type", "veth", "peer", "name", "vmnic", "netns", helper);
        await BindingHarness.RunAsync("ip", "link", "set", _parent, "up");
        await BindingHarness.RunAsync("ip", "-n", helper, "link", "set", "vmnic", "up");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static string Subnet() => $"10.{Random.Shared.Next(200, 250)}.{Random.Shared.Next(1, 250)}";

    [Fact]
    public async Task Macvlan_plug_two_pods_ping_each_other_and_unplug_is_idempotent()
    {
        var net = Subnet();
        var nsA = await _h.NewNamespaceAsync();
        var nsB = await _h.NewNamespaceAsync();
        var a = BindingHarness.Request(nsA, _h.Vif<VifMacvlanNested>($"{net}.21", $"{net}.0/24", $"{net}.1"));
        var b = BindingHarness.Request(nsB, _h.Vif<VifMacvlanNested>($"{net}.22", $"{net}.0/24", $"{net}.1"));
        var plugged = await _h.Plugger.PlugAsync(a, CancellationToken.None);
        await _h.Plugger.PlugAsync(b, CancellationToken.None);

        // macvlan has no host end to report.
        Assert.Equal("eth0", Assert.Single(plugged).Name);
        var eth0 = (await BindingHarness.IpJsonAsync("-n", nsA, "-d", "link", "show", "dev", "eth0"))[0];
        Assert.Equal("macvlan", eth0.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal("bridge", eth0.GetProperty("linkinfo").GetProperty("info_data").GetProperty("mode").GetString());
        Assert.Equal(a.Vifs[0].Vif.Address, eth0.GetProperty("address").GetString());
        Assert.Equal(1450, eth0.GetProperty("mtu").GetInt32());
        Assert.Empty(await _h.Plugger.CheckAsync(a, CancellationToken.None));

        var ping = await BindingHarness.TryRunAsync("ip", "netns", "exec", nsA, "ping", "-c", "3", "-i", "0.2", "-W", "3", $"{net}.22");
        Assert.True(ping.Code == 0, $"ping failed: {ping.Stdout} {ping.Stderr}");

        await _h.Plugger.UnplugAsync(BindingHarness.Unplug(a), CancellationToken.None);
        await _h.Plugger.UnplugAsync(BindingHarness.Unplug(a), CancellationToken.None);
        Assert.NotEqual(0, (await BindingHarness.TryRunAsync("ip", "-n", nsA, "link", "show", "dev", "eth0")).Code);
        _h.Runner.DeleteNamed(nsB);
        await _h.Plugger.UnplugAsync(BindingHarness.Unplug(b), CancellationToken.None);
    }

    [Fact]
    public async Task A_parent_mtu_smaller_than_the_network_mtu_is_an_error_naming_both()
    {
        var net = Subnet();
        var ns = await _h.NewNamespaceAsync();
        var request = BindingHarness.Request(ns, _h.Vif<VifMacvlanNested>($"{net}.5", $"{net}.0/24", $"{net}.1", mtu: 9000));
        var ex = await Assert.ThrowsAsync<VifBindingException>(() => _h.Plugger.PlugAsync(request, CancellationToken.None));
        Assert.Contains(_parent, ex.Message);
        Assert.Contains("1500", ex.Message);
        Assert.Contains("9000", ex.Message);
    }

    [Fact]
    public async Task Vlan_plug_issues_the_vlan_create_on_the_parent_into_the_pod_netns_and_a_refusal_leaves_nothing()
    {
        var net = Subnet();
        var ns = await _h.NewNamespaceAsync();
        var vif = _h.Vif<VifVlanNested>($"{net}.5", $"{net}.0/24", $"{net}.1");
        vif.VlanId = 123;
        var request = BindingHarness.Request(ns, vif);

        // A leftover of an earlier attempt in the pod: it must be gone afterwards too.
        await BindingHarness.RunAsync("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "old0");

        var ex = await Assert.ThrowsAsync<VifBindingException>(() => _h.Plugger.PlugAsync(request, CancellationToken.None));
        Assert.Contains("vlan", ex.Message);
        Assert.Contains(_parent, ex.Message);
        Assert.Contains(vif.Id!, ex.Message);

        int parentIndex = int.Parse(await File.ReadAllTextAsync($"/sys/class/net/{_parent}/ifindex"));
        var create = Assert.Single(_h.Recorder.HostCalls, c => c.Method == "CreateVlanAsync");
        Assert.Equal("eth0", create.Args[0]);
        Assert.Equal(parentIndex, create.Args[1]);
        Assert.Equal(123, create.Args[2]);
        Assert.Equal(BindingHarness.NetnsPath(ns), ((NetworkNamespace)create.Args[3]!).Path);

        var options = (LinkOptions)create.Args[4]!;
        Assert.Equal(1450, options.Mtu);
        Assert.Equal(vif.Address, string.Join(':', options.MacAddress!.GetAddressBytes().Select(b => b.ToString("x2"))));

        Assert.Equal("[]", (await BindingHarness.RunAsync("ip", "-j", "-n", ns, "link", "show", "type", "veth")).Trim());
        Assert.NotEqual(0, (await BindingHarness.TryRunAsync("ip", "-n", ns, "link", "show", "dev", "eth0")).Code);
        Assert.False(File.Exists($"/sys/class/net/{vif.VifName}/ifindex"));
    }

    [Fact]
    public async Task Vlan_without_a_vlan_id_is_an_error_naming_the_field()
    {
        var net = Subnet();
        var ns = await _h.NewNamespaceAsync();
        var vif = _h.Vif<VifVlanNested>($"{net}.5", $"{net}.0/24", $"{net}.1");
        var ex = await Assert.ThrowsAsync<VifBindingException>(() => _h.Plugger.PlugAsync(BindingHarness.Request(ns, vif), CancellationToken.None));
        Assert.Contains("vifs[eth0].vlan_id", ex.Message);
    }
}
