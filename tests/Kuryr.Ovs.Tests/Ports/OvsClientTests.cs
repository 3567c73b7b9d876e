using System.Collections.Concurrent;
using Kuryr.Ovs.Ovsdb;
using Kuryr.Ovs.Ports;

namespace Kuryr.Ovs.Tests.Ports;

/// <summary>IOvsClient against the test bed's real ovsdb-server + vswitchd, with ovs-vsctl as the oracle.</summary>
[Collection(OvsTestGroup.Name)]
public sealed class OvsClientTests(OvsTestBed bed) : IAsyncLifetime
{
    private readonly ConcurrentBag<string> _names = [];
    private OvsdbClient _db = null!;
    private OvsClient _ovs = null!;

    public Task InitializeAsync()
    {
        _db = bed.NewDbClient();
        _ovs = bed.NewOvsClient(_db);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await bed.CleanupAsync(_names);
        await _db.DisposeAsync();
    }

    private string Name(string tag = "")
    {
        var n = OvsTestBed.UniqueName(tag);
        _names.Add(n);
        return n;
    }

    private async Task<string> VethAsync(string tag = "")
    {
        var host = Name(tag);
        var peer = Name(tag + "p");
        await OvsTestBed.RunAsync("ip", "link", "add", host, "type", "veth", "peer", "name", peer);
        await OvsTestBed.RunAsync("ip", "link", "set", host, "up");
        return host;
    }

    [Fact]
    public async Task Add_port_for_a_real_veth_is_seen_by_ovs_vsctl_and_gets_an_ofport()
    {
        var tap = await VethAsync();
        var ids = OvsExternalIds.ForVif("3f1c2a8e-6b0d-4c5e-9a7f-2d8e1b4c6a90", "FA:16:3E:00:11:22");

        var added = await _ovs.AddPortAsync(bed.Bridge, tap, ids);
        Assert.False(added.ReplacedExisting);

        Assert.Equal(
            "{attached-mac=\"fa:16:3e:00:11:22\", iface-id=\"3f1c2a8e-6b0d-4c5e-9a7f-2d8e1b4c6a90\", iface-status=active, vm-uuid=kuryr}",
            await bed.VsctlAsync("get", "Interface", tap, "external_ids"));
        Assert.Equal(bed.Bridge, await bed.VsctlAsync("port-to-br", tap));

        var info = await _ovs.WaitForInterfaceAsync(tap, TimeSpan.FromSeconds(20));
        Assert.NotNull(info);
        Assert.Null(info.Error);
        Assert.True(info.Ofport > 0, $"ofport {info.Ofport}");
        Assert.Equal(info.Ofport.ToString(), await bed.VsctlAsync("get", "Interface", tap, "ofport"));
        Assert.Equal(ids, info.ExternalIds);
        Assert.Equal(bed.Bridge, info.Bridge);
        Assert.Equal(added.PortUuid, info.PortUuid);
        Assert.Contains(await _ovs.ListPortsAsync(bed.Bridge), p => p.Name == tap);
        Assert.Contains(tap, (await bed.VsctlAsync("list-ports", bed.Bridge)).Split('\n'));
    }

    [Fact]
    public async Task Adding_the_same_port_again_replaces_it_with_the_new_external_ids_and_leaves_one_port()
    {
        var tap = await VethAsync();
        var first = await _ovs.AddPortAsync(bed.Bridge, tap, OvsExternalIds.ForVif("port-one", "fa:16:3e:00:00:01"));
        var second = await _ovs.AddPortAsync(bed.Bridge, tap, OvsExternalIds.ForVif("port-two", "fa:16:3e:00:00:02"));

        Assert.True(second.ReplacedExisting);
        Assert.NotEqual(first.PortUuid, second.PortUuid);
        Assert.Equal("port-two", await bed.VsctlAsync("get", "Interface", tap, "external_ids:iface-id"));
        Assert.Single((await bed.VsctlAsync("--columns=_uuid", "find", "Port", $"name={tap}")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Single((await bed.VsctlAsync("list-ports", bed.Bridge)).Split('\n'), n => n == tap);
        var ports = await _ovs.ListPortsAsync(bed.Bridge);
        Assert.Single(ports, p => p.Name == tap);
    }

    [Fact]
    public async Task A_port_added_by_ovs_vsctl_to_the_bridge_is_replaced_by_add_port()
    {
        var tap = await VethAsync();
        await bed.VsctlAsync("add-port", bed.Bridge, tap, "--", "set", "Interface", tap, "external_ids:iface-id=stale");
        var added = await _ovs.AddPortAsync(bed.Bridge, tap, OvsExternalIds.ForVif("fresh", "fa:16:3e:00:00:03"));
        Assert.True(added.ReplacedExisting);
        Assert.Equal("fresh", await bed.VsctlAsync("get", "Interface", tap, "external_ids:iface-id"));
    }

    [Fact]
    public async Task Delete_twice_removes_the_port_then_reports_nothing_to_delete()
    {
        var tap = await VethAsync();
        await _ovs.AddPortAsync(bed.Bridge, tap, OvsExternalIds.ForVif("p", "fa:16:3e:00:00:04"));

        Assert.True(await _ovs.DeletePortAsync(bed.Bridge, tap));
        Assert.False(await _ovs.DeletePortAsync(bed.Bridge, tap));

        Assert.Null(await _ovs.GetPortAsync(tap));
        Assert.DoesNotContain(tap, (await bed.VsctlAsync("list-ports", bed.Bridge)).Split('\n'));
        var (code, _, stderr) = await OvsTestBed.TryRunAsync("ovs-vsctl", "--db=" + bed.Db, "get", "Interface", tap, "name");
        Assert.NotEqual(0, code);
        Assert.Contains("no row", stderr);
    }

    [Fact]
    public async Task A_port_whose_interface_does_not_exist_shows_the_error_column()
    {
        var tap = Name("x"); // no link with this name exists
        await _ovs.AddPortAsync(bed.Bridge, tap, OvsExternalIds.ForVif("ghost", "fa:16:3e:00:00:05"));

        var info = await _ovs.WaitForInterfaceAsync(tap, TimeSpan.FromSeconds(20));
        Assert.NotNull(info);
        Assert.NotNull(info.Error);
        Assert.Contains("No such device", info.Error);
        Assert.Equal(-1, info.Ofport);
        Assert.Equal(await bed.VsctlAsync("get", "Interface", tap, "error"), $"\"{info.Error}\"");
    }

    [Fact]
    public async Task Add_port_to_a_missing_bridge_is_a_bridge_not_found_error_and_adds_nothing()
    {
        var tap = Name();
        var ex = await Assert.ThrowsAsync<OvsBridgeNotFoundException>(() => _ovs.AddPortAsync("ktnobridge", tap, OvsExternalIds.ForVif("p", "fa:16:3e:00:00:06")));
        Assert.Contains("ktnobridge", ex.Message);
        Assert.Null(await _ovs.GetPortAsync(tap));
        await Assert.ThrowsAsync<OvsBridgeNotFoundException>(() => _ovs.DeletePortAsync("ktnobridge", tap));
    }

    [Fact]
    public async Task Bridge_exists_tells_the_test_bridge_from_a_missing_one()
    {
        Assert.True(await _ovs.BridgeExistsAsync(bed.Bridge));
        Assert.False(await _ovs.BridgeExistsAsync("ktnobridge"));
    }

    [Theory]
    [InlineData("", "portName is empty")]
    [InlineData("kt-name-too-long-x", "not a valid interface name")]
    [InlineData("kt/slash", "not a valid interface name")]
    [InlineData("kt space", "not a valid interface name")]
    public async Task Bad_port_names_are_rejected_naming_the_parameter(string name, string expected)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _ovs.AddPortAsync(bed.Bridge, name, new Dictionary<string, string>()));
        Assert.Equal("portName", ex.ParamName);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public async Task Twenty_concurrent_adds_all_land_on_the_bridge()
    {
        var taps = Enumerable.Range(0, 20).Select(_ => Name("c")).ToArray();
        var results = await Task.WhenAll(taps.Select((t, i) => _ovs.AddPortAsync(bed.Bridge, t, OvsExternalIds.ForVif($"port-{i}", $"fa:16:3e:00:01:{i:x2}"))));

        Assert.Equal(20, results.Select(r => r.PortUuid).Distinct().Count());
        var listed = (await bed.VsctlAsync("list-ports", bed.Bridge)).Split('\n');
        Assert.All(taps, t => Assert.Contains(t, listed));
        for (var i = 0; i < taps.Length; i++)
        {
            Assert.Equal($"port-{i}", await bed.VsctlAsync("get", "Interface", taps[i], "external_ids:iface-id"));
        }

        var deleted = await Task.WhenAll(taps.Select(t => _ovs.DeletePortAsync(bed.Bridge, t)));
        Assert.All(deleted, Assert.True);
        var after = (await bed.VsctlAsync("list-ports", bed.Bridge)).Split('\n');
        Assert.All(taps, t => Assert.DoesNotContain(t, after));
    }

    [Fact]
    public async Task Concurrent_adds_of_the_same_name_end_with_exactly_one_port()
    {
        var tap = Name("s");
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => _ovs.AddPortAsync(bed.Bridge, tap, OvsExternalIds.ForVif($"p{i}", "fa:16:3e:00:02:00"))));
        Assert.Single((await bed.VsctlAsync("--columns=_uuid", "find", "Port", $"name={tap}")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Single((await bed.VsctlAsync("list-ports", bed.Bridge)).Split('\n'), n => n == tap);
    }
}
