using System.Collections.Concurrent;
using System.Diagnostics;
using Kuryr.Kubernetes.Models;
using Xunit.Abstractions;

namespace Kuryr.Controller.Tests.EndToEnd;

/// <summary>
/// The REAL kuryr-controller process (the built kuryr-controller.dll) against the REAL kube-apiserver,
/// neutron-server (through a counting FaultProxy) and Redis. Each test has its own world (<see cref="EndToEndBed"/>).
/// The class's tests run one after another: Neutron serves one request at a time.
/// </summary>
[Collection(Collection)]
public sealed partial class ControllerEndToEndTests(ITestOutputHelper output)
{
    public const string Collection = "controller-e2e";

    private const int Min = 2;
    private const int Batch = 5;

    private static async Task<Dictionary<string, KuryrPort>> WithVifsAsync(EndToEndBed bed) =>
        (await bed.KuryrPortsAsync()).Where(k => k.Status?.Vifs is { Count: > 0 } v && v.ContainsKey("eth0"))
            .ToDictionary(k => k.Metadata.Name!);

    /// <summary>Every bulk create is one whole refill: max(batch, min - size) with size ≥ 0, i.e. exactly batch here.</summary>
    private static void AssertWholeBatches(EndToEndBed bed, List<int> posts)
    {
        Assert.All(posts, n => Assert.Equal(Math.Max(Batch, Min), n));
        _ = bed;
    }

    [Fact]
    public async Task Fifty_pods_on_a_bare_metal_and_a_nested_node_get_vifs_from_the_right_pools()
    {
        await using var bed = await EndToEndBed.CreateAsync("ke2e1");
        var neutronBefore = (await bed.TaggedPortsAsync()).Count;
        Assert.Equal(0, neutronBefore);
        bed.Start(bed.Conf(Min, Batch), "ctl-1");

        var created = new ConcurrentDictionary<string, DateTime>();
        var names = Enumerable.Range(0, 50).Select(i => (i < 25 ? "bm-" : "vm-") + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var start = Stopwatch.StartNew();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (name, _) =>
        {
            var bm = name.StartsWith("bm-", StringComparison.Ordinal);
            await bed.CreatePodAsync(bm ? bed.BareMetalNode : bed.VmNode, bm ? "192.0.2.10" : bed.VmIp, name);
            created[name] = DateTime.UtcNow;
        });

        var seen = new Dictionary<string, DateTime>();
        await bed.EventuallyAsync(async () =>
        {
            foreach (var name in (await WithVifsAsync(bed)).Keys)
            {
                seen.TryAdd(name, DateTime.UtcNow);
            }

            return seen.Count == 50;
        }, "50 KuryrPorts with eth0", 80);
        var latencies = names.Select(n => (seen[n] - created[n]).TotalSeconds).Order().ToList();
        output.WriteLine($"50 pods: creation→status.vifs median {latencies[25]:0.00} s, max {latencies[^1]:0.00} s, all in {start.Elapsed.TotalSeconds:0.0} s");

        var kps = await WithVifsAsync(bed);
        var portIds = new HashSet<string>();
        var subports = (await bed.Project.Admin.GetSubportsAsync(bed.TrunkId)).ToDictionary(s => s.PortId, s => s.SegmentationId);
        foreach (var (name, kp) in kps)
        {
            var eth0 = kp.Status!.Vifs["eth0"];
            var id = EndToEndBed.VifField(eth0, "id");
            Assert.True(portIds.Add(id), $"port {id} given twice ({name})");
            var source = EndToEndBed.Sources(kp)["eth0"]!;
            if (name.StartsWith("bm-", StringComparison.Ordinal))
            {
                Assert.Equal("VIFOpenVSwitch", eth0.Vif!["versioned_object.name"]!.ToString());
                Assert.Equal(bed.BareMetalPool, source["pool"]!.ToString());
                Assert.Equal("neutron", source["driver"]!.ToString());
                Assert.Equal(bed.BareMetalNode, kp.Spec!.PodNodeName);
            }
            else
            {
                Assert.Equal("VIFVlanNested", eth0.Vif!["versioned_object.name"]!.ToString());
                Assert.Equal(bed.NestedPool, source["pool"]!.ToString());
                Assert.Equal("nested", source["driver"]!.ToString());
                Assert.True(subports.TryGetValue(id, out var vlan), $"{id} is not a subport of the trunk");
                Assert.Equal(vlan.ToString(System.Globalization.CultureInfo.InvariantCulture), EndToEndBed.VifField(eth0, "vlan_id"));
            }
        }

        Assert.Equal(50, portIds.Count);

        // Let the refills after the last takes finish, then: whole batches only, and Neutron grew by exactly those.
        await Task.Delay(3000);
        var posts = bed.BulkPosts();
        output.WriteLine($"bulk POSTs: {posts.Count} ({string.Join(",", posts)}), add_subports: {bed.AddSubports()}");
        AssertWholeBatches(bed, posts);
        var tagged = await bed.TaggedPortsAsync();
        Assert.Equal(posts.Sum(), tagged.Count - neutronBefore);
        Assert.True(tagged.Count >= 50);
        Assert.Equal(0, bed.PortDeletes());

        // Delete every pod (grace 0): KuryrPorts and finalizers go, ports come back to available, no Neutron delete.
        bed.Proxy.ResetCounts();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (name, _) => await bed.DeletePodAsync(name));
        await bed.EventuallyAsync(async () => (await bed.KuryrPortsAsync()).Count == 0 && (await bed.PodsAsync()).Count == 0, "KuryrPorts and pods gone", 60);
        await bed.EventuallyAsync(async () =>
        {
            var states = await bed.RedisStatesAsync();
            return portIds.All(id => states.TryGetValue(id, out var s) && s.State == "available");
        }, "the 50 ports available again in Redis", 30);
        var states = await bed.RedisStatesAsync();
        Assert.All(portIds.Where(id => kps.Values.Any(k => k.Metadata.Name!.StartsWith("bm-", StringComparison.Ordinal) && EndToEndBed.VifField(k.Status!.Vifs["eth0"], "id") == id)),
            id => Assert.Equal(bed.BareMetalPool, states[id].Pool));
        Assert.Equal(0, bed.PortDeletes());
        Assert.Empty(bed.BulkPosts());
        Assert.Equal(tagged.Count, (await bed.TaggedPortsAsync()).Count);
    }
}
