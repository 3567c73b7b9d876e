using Kuryr.Ovs.Ovsdb;
using Kuryr.Ovs.Ports;

namespace Kuryr.Ovs.Tests.Ports;

/// <summary>Two "pods" (network namespaces with a veth each, host ends added by IOvsClient) ping over br-int.</summary>
[Collection(OvsTestGroup.Name)]
public sealed class OvsPingTests(OvsTestBed bed) : IAsyncLifetime
{
    private readonly List<string> _links = [];
    private readonly List<string> _netns = [];
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
        await bed.CleanupAsync(_links);
        foreach (var ns in _netns)
        {
            await OvsTestBed.TryRunAsync("ip", "netns", "del", ns);
        }

        await _db.DisposeAsync();
    }

    private async Task<string> PodAsync(string tag, string mac, string cidr)
    {
        var ns = OvsTestBed.UniqueName("n" + tag);
        var tap = OvsTestBed.UniqueName("t" + tag);
        _netns.Add(ns);
        _links.Add(tap);
        await OvsTestBed.RunAsync("ip", "netns", "add", ns);
        await OvsTestBed.RunAsync("ip", "link", "add", tap, "type", "veth", "peer", "name", "eth0", "netns", ns);
        await OvsTestBed.RunAsync("ip", "-n", ns, "link", "set", "eth0", "address", mac);
        await OvsTestBed.RunAsync("ip", "-n", ns, "addr", "add", cidr, "dev", "eth0");
        await OvsTestBed.RunAsync("ip", "-n", ns, "link", "set", "eth0", "up");
        await OvsTestBed.RunAsync("ip", "-n", ns, "link", "set", "lo", "up");
        await OvsTestBed.RunAsync("ip", "link", "set", tap, "up");
        await _ovs.AddPortAsync(bed.Bridge, tap, OvsExternalIds.ForVif(Guid.NewGuid().ToString(), mac));
        var info = await _ovs.WaitForInterfaceAsync(tap, TimeSpan.FromSeconds(20));
        Assert.True(info?.Ofport > 0, $"{tap}: ofport {info?.Ofport}, error {info?.Error}");
        return ns;
    }

    [Fact]
    public async Task Two_pods_on_the_bridge_ping_each_other_and_stop_once_a_port_is_deleted()
    {
        await bed.OfctlAsync("add-flow", "priority=0,actions=NORMAL");
        var subnet = Random.Shared.Next(1, 250);
        var a = await PodAsync("a", "fa:16:3e:10:00:01", $"10.251.{subnet}.1/24");
        var b = await PodAsync("b", "fa:16:3e:10:00:02", $"10.251.{subnet}.2/24");

        var ping = await OvsTestBed.TryRunAsync("ip", "netns", "exec", a, "ping", "-c", "3", "-i", "0.2", "-W", "2", $"10.251.{subnet}.2");
        Assert.True(ping.Code == 0, $"ping failed: {ping.Stdout} {ping.Stderr}");
        Assert.Contains("3 received", ping.Stdout);

        var back = await OvsTestBed.TryRunAsync("ip", "netns", "exec", b, "ping", "-c", "1", "-W", "2", $"10.251.{subnet}.1");
        Assert.Equal(0, back.Code);

        // Unplugged from the bridge, b is unreachable (the ping above is not passing by another path).
        Assert.True(await _ovs.DeletePortAsync(bed.Bridge, _links[1]));
        await OvsTestBed.RunAsync("ip", "netns", "exec", a, "ip", "neigh", "flush", "all");
        var after = await OvsTestBed.TryRunAsync("ip", "netns", "exec", a, "ping", "-c", "1", "-W", "1", $"10.251.{subnet}.2");
        Assert.NotEqual(0, after.Code);
    }
}
