using System.Collections.Concurrent;
using System.Diagnostics;
using Kuryr.Kubernetes.Client;
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
        await bed.WaitLeadingAndReadyAsync(bed.Start(bed.Conf(Min, Batch), "ctl-1"));

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
        output.WriteLine("Neutron requests: " + string.Join(", ", bed.Proxy.Requests
            .GroupBy(r => r.Method + " " + System.Text.RegularExpressions.Regex.Replace(r.Path, "[0-9a-f]{8}-[0-9a-f-]{27}", "ID"))
            .Select(g => $"{g.Key} x{g.Count()}")));
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

    /// <summary>Kuryr's tempest check plus ours: no pod without a VIF, no port held twice, every tagged port accounted for exactly once.</summary>
    /// <remarks><paramref name="cutByKill"/>: ports a bulk create cut by the SIGKILL made in Neutron before the
    /// controller could record them (tagged, unbound, no trunk); nothing references them, and only the leaked-port
    /// GC (first pass after its 10 min interval + gc_grace_period) deletes them. They must stay unused.</remarks>
    private static async Task AssertConsistentAsync(EndToEndBed bed, int pods, HashSet<string>? cutByKill = null)
    {
        var kps = await WithVifsAsync(bed);
        Assert.Equal(pods, kps.Count);
        Assert.Equal(pods, (await bed.PodsAsync()).Count);
        var holders = new Dictionary<string, string>();
        foreach (var (name, kp) in kps)
        {
            var id = EndToEndBed.VifField(kp.Status!.Vifs["eth0"], "id");
            Assert.True(holders.TryAdd(id, name), $"port {id} held by {name} and {holders.GetValueOrDefault(id)}");
        }

        var states = await bed.RedisStatesAsync();
        var tagged = await bed.TaggedPortsAsync();
        var orphans = 0;
        foreach (var port in tagged)
        {
            if (!states.ContainsKey(port.Id) && cutByKill?.Contains(port.Id) == true)
            {
                Assert.False(holders.ContainsKey(port.Id), $"{port.Id} of the cut bulk create is used by {holders.GetValueOrDefault(port.Id)}");
                orphans++;
                continue;
            }

            Assert.True(states.TryGetValue(port.Id, out var s), $"tagged port {port.Id} is in no Redis pool (leaked)");
            Assert.Equal(s.State == "assigned", holders.ContainsKey(port.Id));
        }

        Assert.All(holders.Keys, id => Assert.Contains(tagged, p => p.Id == id));
        Assert.Equal(tagged.Count - orphans, states.Count);
        Assert.InRange(orphans, 0, 2 * Batch);
    }

    [Fact]
    public async Task Controller_killed_in_the_middle_of_a_burst_leaves_no_pod_without_a_vif_and_no_port_leaked()
    {
        await using var bed = await EndToEndBed.CreateAsync("ke2e2");
        var conf = bed.Conf(Min, Batch);
        var first = bed.Start(conf, "ctl-1");
        await bed.WaitLeadingAndReadyAsync(first);

        var names = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? "bm-" : "vm-") + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (name, _) =>
            await bed.CreatePodAsync(name.StartsWith("bm-", StringComparison.Ordinal) ? bed.BareMetalNode : bed.VmNode,
                name.StartsWith("bm-", StringComparison.Ordinal) ? "192.0.2.10" : bed.VmIp, name));
        var done = 0;
        await bed.EventuallyAsync(async () => (done = (await WithVifsAsync(bed)).Count) >= 3, "a few VIFs", 60);
        first.Kill();
        Assert.InRange(done, 3, 19);
        var atKill = await bed.StableTaggedCountAsync();
        var taggedAtKill = (await bed.TaggedPortsAsync()).Select(p => p.Id).ToHashSet();
        var statesAtKill = await bed.RedisStatesAsync();
        var withVifsAtKill = (await WithVifsAsync(bed)).Count;
        output.WriteLine($"killed with {withVifsAtKill}/20 VIFs written, {atKill} tagged ports ({statesAtKill.Count(s => s.Value.State == "available")} available, {statesAtKill.Count(s => s.Value.State == "creating")} creating in Redis), {bed.BulkPosts().Count} bulk POSTs so far");
        Assert.True(withVifsAtKill < 20, "the burst was over before the kill: nothing tested");
        bed.Proxy.ResetCounts();

        var restarted = Stopwatch.StartNew();
        var second = bed.Start(conf, "ctl-2");
        await bed.WaitLeadingAndReadyAsync(second);
        output.WriteLine($"restarted controller leading and recovered after {restarted.Elapsed.TotalSeconds:0.0} s");

        // Recovery created nothing and deleted nothing that was a pool's or a pod's port. The pending
        // pods' handlers may already refill before /ready answers 200: only what Neutron received
        // before the controller logged its recovery is recovery's.
        var recoveredAt = await bed.LoggedAtAsync(second, "Pools recovered");
        Assert.DoesNotContain(bed.BulkPostRequests(), r => r.ReceivedAt < recoveredAt);
        // Ports still "creating" at the kill (a nested population cut before add_subports) may be
        // finished by deleting them; a pool's available port or a pod's port never is.
        var afterRecovery = (await bed.TaggedPortsAsync()).Select(p => p.Id).ToHashSet();
        Assert.All(taggedAtKill.Except(afterRecovery), id => Assert.False(
            statesAtKill.TryGetValue(id, out var s) && s.State is "available" or "assigned", $"recovery deleted {id}, {s.State} at the kill"));

        await bed.EventuallyAsync(async () => (await WithVifsAsync(bed)).Count == 20, "all 20 pods with a VIF after the restart", 60);
        output.WriteLine($"all 20 VIFs {restarted.Elapsed.TotalSeconds:0.0} s after the restart");
        await Task.Delay(3000); // refills after the last takes
        var posts = bed.BulkPosts();
        var deleted = bed.Proxy.Requests.Where(r => r.Method == "DELETE" && r.Path.Contains("/ports/", StringComparison.Ordinal)).Select(r => r.Path[(r.Path.LastIndexOf('/') + 1)..]).ToList();
        output.WriteLine($"after restart: bulk POSTs {string.Join(",", posts)}; deletes {deleted.Count} (ports of the population cut by the kill, never in a pool)");

        // Neutron changed by exactly the new whole-batch refills, minus the half-created ports of the cut population.
        AssertWholeBatches(bed, posts);
        Assert.All(deleted, id => Assert.Contains(id, taggedAtKill));
        Assert.All(deleted, id => Assert.False(statesAtKill.TryGetValue(id, out var s) && s.State is "available" or "assigned", id));
        Assert.Equal(atKill + posts.Sum() - deleted.Count, (await bed.TaggedPortsAsync()).Count);
        var cut = taggedAtKill.Where(id => !statesAtKill.ContainsKey(id)).ToHashSet();
        output.WriteLine($"ports of a bulk create cut by the kill, left to the leaked-port GC: {cut.Count}");
        await AssertConsistentAsync(bed, 20, cut);
    }

    [Fact]
    public async Task Two_replicas_only_the_leader_acts_and_the_standby_takes_over_with_the_pools_in_redis()
    {
        await using var bed = await EndToEndBed.CreateAsync("ke2e3");
        var conf = bed.Conf(Min, Batch);
        var a = bed.Start(conf, "ctl-a");
        var b = bed.Start(conf, "ctl-b");
        await bed.EventuallyAsync(async () => await bed.LeaseHolderAsync() is "ctl-a" or "ctl-b", "a leader", 60);
        var (leader, standby) = await bed.LeaseHolderAsync() == "ctl-a" ? (a, b) : (b, a);
        await bed.WaitLeadingAndReadyAsync(leader);

        var names = new[] { "bm-0", "bm-1", "bm-2", "vm-0", "vm-1", "vm-2" };
        foreach (var name in names)
        {
            await bed.CreatePodAsync(name.StartsWith("bm-", StringComparison.Ordinal) ? bed.BareMetalNode : bed.VmNode,
                name.StartsWith("bm-", StringComparison.Ordinal) ? "192.0.2.10" : bed.VmIp, name);
        }

        await bed.EventuallyAsync(async () => (await WithVifsAsync(bed)).Count == 6, "6 VIFs from the leader", 60);
        await Task.Delay(3000); // refills settle
        Assert.Equal(leader.Identity, await bed.LeaseHolderAsync());
        Assert.True(await EndToEndBed.HandlerEventsAsync(leader, "kuryrport") >= 6);
        Assert.True(await EndToEndBed.HandlerEventsAsync(leader, "vif") >= 6);
        Assert.Equal(0, await EndToEndBed.HandlerEventsAsync(standby, "kuryrport"));
        Assert.Equal(0, await EndToEndBed.HandlerEventsAsync(standby, "vif"));
        var availableBefore = (await bed.RedisStatesAsync()).Where(e => e.Value.State == "available").ToDictionary(e => e.Key, e => e.Value.Pool);
        Assert.Contains(bed.BareMetalPool, availableBefore.Values);
        Assert.Contains(bed.NestedPool, availableBefore.Values);
        var taggedBefore = await bed.StableTaggedCountAsync();
        bed.Proxy.ResetCounts();

        var killed = Stopwatch.StartNew();
        leader.Kill();
        var statesAtKill = await bed.RedisStatesAsync();
        await Task.Delay(2000);
        var cut = (await bed.TaggedPortsAsync()).Select(p => p.Id).Where(id => !statesAtKill.ContainsKey(id)).ToHashSet();
        await bed.EventuallyAsync(async () => await bed.LeaseHolderAsync() == standby.Identity, "the standby to take over", 30);
        var takeover = killed.Elapsed;
        output.WriteLine($"takeover after SIGKILL of the leader: {takeover.TotalSeconds:0.00} s (lease {conf.LeaseSeconds} s)");
        Assert.True(takeover < TimeSpan.FromSeconds(conf.LeaseSeconds + 1.2 + 3), $"takeover took {takeover.TotalSeconds:0.0} s");
        await bed.WaitLeadingAndReadyAsync(standby);

        // One new pod per pool first: it must get a port that was available in Redis before the kill.
        await bed.CreatePodAsync(bed.BareMetalNode, "192.0.2.10", "bm-new-0");
        await bed.CreatePodAsync(bed.VmNode, bed.VmIp, "vm-new-0");
        await bed.EventuallyAsync(async () => (await WithVifsAsync(bed)).Count == 8, "VIFs from the new leader", 60);
        var kps = await WithVifsAsync(bed);
        var bmPort = EndToEndBed.VifField(kps["bm-new-0"].Status!.Vifs["eth0"], "id");
        var vmPort = EndToEndBed.VifField(kps["vm-new-0"].Status!.Vifs["eth0"], "id");
        Assert.Equal(bed.BareMetalPool, availableBefore.GetValueOrDefault(bmPort));
        Assert.Equal(bed.NestedPool, availableBefore.GetValueOrDefault(vmPort));
        Assert.True(await EndToEndBed.HandlerEventsAsync(standby, "kuryrport") >= 2);

        await Task.Delay(3000);
        var posts = bed.BulkPosts();
        output.WriteLine($"after takeover: bulk POSTs {string.Join(",", posts)}, deletes {bed.PortDeletes()}");
        // No re-population of the whole pools: at most the normal refill per pool, each one whole batch; recovery deleted nothing.
        AssertWholeBatches(bed, posts);
        Assert.True(posts.Count <= 2, $"{posts.Count} bulk creates after the takeover");
        Assert.Equal(0, bed.PortDeletes());
        Assert.Equal(taggedBefore + posts.Sum(), (await bed.TaggedPortsAsync()).Count);
        await AssertConsistentAsync(bed, 8, cut);
    }

    [Fact]
    public async Task Npwg_additional_subnets_and_spec_ports_pods_get_their_extra_vifs_through_the_running_controller()
    {
        await using var bed = await EndToEndBed.CreateAsync("ke2e4");
        var (extra1, extra1Subnet) = await bed.Project.CreateNetworkAsync("10.93.0.0/24");
        var (extra2, extra2Subnet) = await bed.Project.CreateNetworkAsync("10.94.0.0/24");
        var pooledNad = "pooled-" + Guid.NewGuid().ToString("N")[..6];
        var portNad = "direct-" + Guid.NewGuid().ToString("N")[..6];
        foreach (var (nad, config) in new[]
        {
            (pooledNad, $$"""{"subnetId":"{{extra1Subnet.Id}}"}"""),
            (portNad, $$"""{"subnetId":"{{extra2Subnet.Id}}","driverType":"neutron-vif"}"""),
        })
        {
            await bed.Client.CreateAsync(KubernetesResources.NetworkAttachmentDefinitions, new NetworkAttachmentDefinition
            {
                Metadata = new ObjectMeta { Name = nad, Namespace = bed.Namespace, Annotations = new() { [KuryrConstants.NadKuryrConfigAnnotation] = config } },
                Spec = new NetworkAttachmentDefinitionSpec { Config = """{"cniVersion":"0.3.1","name":"kuryr","type":"kuryr-cni"}""" },
            });
        }

        var specPort = await bed.Project.Admin.CreatePortAsync(new Kuryr.Neutron.Ports.PortCreate { NetworkId = extra2.Id, ProjectId = bed.Project.ProjectId, Name = "e2e-spec-normal" });
        var ctl = bed.Start(bed.Conf(Min, Batch, "npwg_multiple_interfaces,additional_subnets,spec_ports"), "ctl-mv");
        await bed.WaitLeadingAndReadyAsync(ctl);

        await bed.CreatePodAsync(bed.BareMetalNode, "192.0.2.10", "npwg", new() { [KuryrConstants.NetworksAnnotation] = $"{pooledNad}, {bed.Namespace}/{portNad}" });
        await bed.CreatePodAsync(bed.BareMetalNode, "192.0.2.10", "addsub", new() { [KuryrConstants.AdditionalSubnetsAnnotation] = $"[\"{extra1Subnet.Id}\"]" });
        await bed.CreatePodAsync(bed.BareMetalNode, "192.0.2.10", "spec", new() { [KuryrConstants.SpecPortsAnnotation] = $"[\"{specPort.Id}\"]" });
        await bed.CreatePodAsync(bed.BareMetalNode, "192.0.2.10", "bad", new()
        {
            [KuryrConstants.NetworksAnnotation] = "[{\"name\":",
            [KuryrConstants.AdditionalSubnetsAnnotation] = "{\"subnet\":1}",
        });

        await bed.EventuallyAsync(async () =>
        {
            var k = await WithVifsAsync(bed);
            return k.Count == 4 && k["npwg"].Status!.Vifs.Count == 3 && k["addsub"].Status!.Vifs.Count == 2 && k["spec"].Status!.Vifs.Count == 2;
        }, "the four pods' VIFs", 60);
        var kps = await WithVifsAsync(bed);

        static string Network(KuryrPortVif v) => v.Vif!["versioned_object.data"]!["network"]!["versioned_object.data"]!["id"]!.ToString();
        foreach (var kp in kps.Values)
        {
            var eth0 = kp.Status!.Vifs["eth0"];
            Assert.True(eth0.Default);
            Assert.Equal("VIFOpenVSwitch", eth0.Vif!["versioned_object.name"]!.ToString());
            Assert.Equal(bed.PodNetwork.Id, Network(eth0));
            Assert.All(kp.Status.Vifs.Where(v => v.Key != "eth0"), v => Assert.False(v.Value.Default));
        }

        var npwg = kps["npwg"].Status!.Vifs;
        Assert.Equal(["eth0", "eth1", "eth2"], npwg.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(extra1.Id, Network(npwg["eth1"]));
        Assert.Equal(extra2.Id, Network(npwg["eth2"]));
        var npwgSources = EndToEndBed.Sources(kps["npwg"]);
        Assert.Equal($"{bed.BareMetalNode}/{bed.Project.ProjectId}/{extra1.Id}", npwgSources["eth1"]!["pool"]!.ToString());
        var direct = await bed.Project.Admin.GetPortAsync(EndToEndBed.VifField(npwg["eth2"], "id"));
        Assert.Contains(bed.ClusterTag, direct.Tags);
        var status = System.Text.Json.Nodes.JsonNode.Parse((await bed.Client.GetAsync(KubernetesResources.Pods, bed.Namespace, "npwg")).Metadata.Annotations![KuryrConstants.NetworkStatusAnnotation])!.AsArray();
        Assert.Equal(3, status.Count);

        var addsub = kps["addsub"].Status!.Vifs;
        Assert.Equal(["eth0", "eth1"], addsub.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(extra1.Id, Network(addsub["eth1"]));

        var spec = kps["spec"].Status!.Vifs;
        Assert.Equal(["eth0", "eth1"], spec.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(specPort.Id, EndToEndBed.VifField(spec["eth1"], "id"));
        Assert.Equal(extra2.Id, Network(spec["eth1"]));

        // Malformed annotations: the default network only, and one Warning event per annotation naming it.
        Assert.Equal(["eth0"], kps["bad"].Status!.Vifs.Keys);
        List<string> warnings = [];
        await bed.EventuallyAsync(async () =>
        {
            var events = await bed.Client.ListAsync(KubernetesResources.Events, bed.Namespace, new ListOptions { FieldSelector = "involvedObject.name=bad" });
            warnings = [.. events.Items.Where(e => e.Type == "Warning").Select(e => e.Message!)];
            return warnings.Count >= 2;
        }, "warning events on the bad pod", 20);
        Assert.Contains(warnings, m => m.Contains($"annotation {KuryrConstants.NetworksAnnotation}: is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains($"annotation {KuryrConstants.AdditionalSubnetsAnnotation}: is a JSON object", StringComparison.Ordinal));
        Assert.All(warnings, m => Assert.Contains("the pod keeps its default network", m, StringComparison.Ordinal));
        var others = await bed.Client.ListAsync(KubernetesResources.Events, bed.Namespace, new ListOptions { FieldSelector = "involvedObject.name=npwg" });
        Assert.DoesNotContain(others.Items, e => e.Type == "Warning");
    }
}
