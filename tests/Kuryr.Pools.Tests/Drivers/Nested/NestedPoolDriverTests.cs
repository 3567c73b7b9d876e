using System.Text;
using System.Text.Json.Nodes;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Neutron.Trunks;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Ownership;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Kuryr.Testing.Time;
using Kuryr.Vifs;
using Kuryr.Vifs.Model;
using StackExchange.Redis;

namespace Kuryr.Pools.Tests.Drivers.Nested;

/// <summary>The <c>nested</c> pool driver against the REAL neutron-server (real trunks and
/// subports) and the real Redis; a FaultProxy in front of Neutron counts and fails requests.</summary>
[Collection(NeutronTestProject.Collection)]
public sealed class NestedPoolDriverTests(NestedTrunkBed bed) : IClassFixture<NestedTrunkBed>
{
    private const string BulkPost = "/ports$";
    private const string AddSubports = "/trunks/[^/]+/add_subports$";
    private const string RemoveSubports = "/trunks/[^/]+/remove_subports$";

    [Fact]
    public async Task Creating_n_ports_makes_one_bulk_post_and_one_add_subports_with_fresh_distinct_vlans()
    {
        var node = await bed.CreateNodeAsync();
        var handMade = await bed.AttachHandMadePortAsync(node.TrunkId, vlan: 17);
        var keys = NestedTrunkBed.NewKeys();
        var driver = bed.CreateDriver(keys);
        var target = bed.Target(node);
        bed.Proxy.ResetCounts();

        var ports = await driver.CreatePortsAsync(target, 5, CancellationToken.None);

        Assert.Equal(5, ports.Count);
        Assert.Equal(1, bed.Proxy.Count("POST", BulkPost));
        Assert.Equal(1, bed.Proxy.Count("PUT", AddSubports));

        var subports = (await bed.Admin.GetSubportsAsync(node.TrunkId)).ToDictionary(s => s.PortId, s => s.SegmentationId);
        Assert.Equal(6, subports.Count);
        var vlans = ports.Select(p => subports[p.PortId]).ToList();
        Assert.Equal(5, vlans.Distinct().Count());
        Assert.DoesNotContain(17, vlans);
        Assert.Equal(17, subports[handMade.Id]);

        foreach (var p in ports)
        {
            var vif = Assert.IsType<VifVlanNested>(VifJson.Deserialize(p.VifJson));
            Assert.Equal(p.PortId, vif.Id);
            Assert.Equal(subports[p.PortId], vif.VlanId);
            Assert.Equal("noop", vif.Plugin);
            Assert.Equal(bed.PodNetwork.Id, vif.Network!.Id);
            Assert.Equal(bed.PodSubnet.Cidr, vif.Network.Subnets!.Items.Single().Cidr);

            var neutronPort = await bed.Admin.GetPortAsync(p.PortId);
            Assert.Equal("compute:kuryr", neutronPort.DeviceOwner);
            Assert.True(string.IsNullOrEmpty(neutronPort.BindingHostId));
            Assert.True(bed.Ownership.IsOurs(neutronPort.Tags));
            Assert.Equal(neutronPort.MacAddress, vif.Address);
        }

        // Reserved in Redis: exactly the new ones (the hand-made 17 was never reserved by us).
        Assert.Equal(vlans.Order(), await bed.Vlans(keys).ListAsync(node.TrunkId));
        // Recorded as creating: the pool manager turns them available.
        var snapshot = await bed.Store(keys).ReadAsync(target.Pool);
        Assert.Equal(ports.Select(p => p.PortId).Order(), snapshot.States.Where(s => s.Value == PortState.Creating).Select(s => s.Key).Order());
    }

    [Fact]
    public async Task Two_drivers_on_two_redis_connections_creating_at_once_on_one_trunk_never_pick_the_same_vlan()
    {
        var node = await bed.CreateNodeAsync();
        var keys = NestedTrunkBed.NewKeys();
        using var secondMux = await ConnectionMultiplexer.ConnectAsync(bed.Redis.Endpoint);
        var first = bed.CreateDriver(keys);
        var second = bed.CreateDriver(keys, secondMux);
        var target = bed.Target(node);

        // All three reserve their VLAN ids from the same view of the trunk (nothing attached yet):
        // their bulk POSTs are held at the proxy until all three arrived, so only the Redis
        // reservations keep them apart. The POSTs are then let go one at a time (the test bed's
        // SQLite Neutron answers concurrent trunk writes with "database is locked").
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        foreach (var gate in gates)
        {
            bed.Proxy.InjectFault(
                r =>
                {
                    if (r.Method != "POST" || !r.Path.EndsWith("/ports", StringComparison.Ordinal))
                    {
                        return false;
                    }

                    if (Interlocked.Increment(ref arrived) == 3)
                    {
                        allArrived.TrySetResult();
                    }

                    return true;
                },
                ProxyFault.WaitFor(gate.Task));
        }

        var pending = new List<Task<IReadOnlyList<PooledPort>>>
        {
            first.CreatePortsAsync(target, 4, CancellationToken.None),
            second.CreatePortsAsync(target, 4, CancellationToken.None),
            first.CreatePortsAsync(target, 4, CancellationToken.None),
        };
        var results = new List<IReadOnlyList<PooledPort>>();
        try
        {
            var all = Task.WhenAll(pending);
            Assert.Same(allArrived.Task, await Task.WhenAny(allArrived.Task, all));
            foreach (var gate in gates)
            {
                gate.SetResult();
                var done = await Task.WhenAny(pending);
                pending.Remove(done);
                results.Add(await done);
            }
        }
        finally
        {
            bed.Proxy.ClearFaults();
            gates.ForEach(g => g.TrySetResult());
        }

        var created = results.SelectMany(r => r).Select(p => p.PortId).ToList();
        Assert.Equal(12, created.Count);
        var subports = await bed.Admin.GetSubportsAsync(node.TrunkId);
        Assert.Equal(created.Order(), subports.Select(s => s.PortId).Order());
        Assert.Equal(12, subports.Select(s => s.SegmentationId).Distinct().Count());
        Assert.Equal(subports.Select(s => s.SegmentationId).Order(), await bed.Vlans(keys).ListAsync(node.TrunkId));
    }

    [Fact]
    public async Task A_real_vlan_conflict_rolls_back_the_batch_and_the_retry_with_fresh_vlans_succeeds()
    {
        var node = await bed.CreateNodeAsync();
        var keys = NestedTrunkBed.NewKeys();
        var driver = bed.CreateDriver(keys);
        var target = bed.Target(node);
        var before = (await bed.PodPortsAsync()).Select(p => p.Id).ToHashSet();

        // Hold the first add_subports, take one VLAN id it carries, attach a hand-made port with that
        // id behind the driver's back, then let the request go: Neutron answers 409 DuplicateSubPort.
        var seen = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bed.Proxy.InjectFault(
            r => r.Method == "PUT" && r.Path.EndsWith("/add_subports", StringComparison.Ordinal) && seen.TrySetResult(r.Body),
            ProxyFault.WaitFor(release.Task));
        bed.Proxy.ResetCounts();

        var creating = driver.CreatePortsAsync(target, 3, CancellationToken.None);
        List<(string Port, int Vlan)> firstBatch;
        Kuryr.Neutron.Ports.Port intruder;
        try
        {
            Assert.Same(seen.Task, await Task.WhenAny(seen.Task, creating)); // creating fails fast if it never gets there
            var body = JsonNode.Parse(Encoding.UTF8.GetString(await seen.Task))!;
            firstBatch = [.. body["sub_ports"]!.AsArray().Select(s => (Port: (string)s!["port_id"]!, Vlan: (int)s!["segmentation_id"]!))];
            intruder = await bed.AttachHandMadePortAsync(node.TrunkId, firstBatch[0].Vlan);
        }
        finally
        {
            release.TrySetResult();
        }

        var ports = await creating;

        Assert.Equal(2, bed.Proxy.Count("POST", BulkPost));
        Assert.Equal(2, bed.Proxy.Count("PUT", AddSubports));
        Assert.Equal(3, ports.Count);
        Assert.Empty(ports.Select(p => p.PortId).Intersect(firstBatch.Select(b => b.Port)));

        // Nothing of the first batch is left in Neutron; only the retry's ports and the intruder are new.
        var after = (await bed.PodPortsAsync()).Select(p => p.Id).Where(id => !before.Contains(id)).Order();
        Assert.Equal(ports.Select(p => p.PortId).Append(intruder.Id).Order(), after);

        var subports = await bed.Admin.GetSubportsAsync(node.TrunkId);
        var ours = subports.Where(s => s.PortId != intruder.Id).Select(s => s.SegmentationId).Order().ToList();
        Assert.Equal(ours, await bed.Vlans(keys).ListAsync(node.TrunkId)); // the first batch's ids released
        var snapshot = await bed.Store(keys).ReadAsync(target.Pool);
        Assert.Equal(ports.Select(p => p.PortId).Order(), snapshot.States.Keys.Order()); // the first batch forgotten
    }

    [Fact]
    public async Task A_failed_add_subports_leaves_no_port_no_reservation_and_no_creating_entry_and_the_next_call_works()
    {
        var node = await bed.CreateNodeAsync();
        var keys = NestedTrunkBed.NewKeys();
        var driver = bed.CreateDriver(keys);
        var target = bed.Target(node);
        var before = (await bed.PodPortsAsync()).Count;
        bed.Proxy.InjectFault("PUT", AddSubports, ProxyFault.Status(500, """{"NeutronError":{"type":"HTTPInternalServerError","message":"boom","detail":""}}"""));
        bed.Proxy.ResetCounts();

        var e = await Assert.ThrowsAsync<NeutronServerException>(() => driver.CreatePortsAsync(target, 4, CancellationToken.None));
        Assert.Equal("add_subports", e.Operation);
        Assert.Equal(1, bed.Proxy.Count("PUT", AddSubports)); // not retried: not idempotent, and not a conflict
        Assert.Equal(before, (await bed.PodPortsAsync()).Count);
        Assert.Empty(await bed.Vlans(keys).ListAsync(node.TrunkId));
        Assert.Empty((await bed.Store(keys).ReadAsync(target.Pool)).States);
        Assert.Empty(await bed.Admin.GetSubportsAsync(node.TrunkId));

        var ports = await driver.CreatePortsAsync(target, 2, CancellationToken.None);
        Assert.Equal(2, (await bed.Admin.GetSubportsAsync(node.TrunkId)).Count);
        Assert.Equal(2, (await bed.Vlans(keys).ListAsync(node.TrunkId)).Count);
        Assert.Equal(before + 2, (await bed.PodPortsAsync()).Count);
        Assert.Equal(2, ports.Count);
    }

    [Fact]
    public async Task A_failed_bulk_create_releases_the_reserved_vlans()
    {
        var node = await bed.CreateNodeAsync();
        var keys = NestedTrunkBed.NewKeys();
        var driver = bed.CreateDriver(keys);
        bed.Proxy.InjectFault("POST", BulkPost, ProxyFault.Status(409, """{"NeutronError":{"type":"OverQuota","message":"Quota exceeded for resources: ['port'].","detail":""}}"""));

        await Assert.ThrowsAsync<NeutronOverQuotaException>(() => driver.CreatePortsAsync(bed.Target(node), 3, CancellationToken.None));

        Assert.Empty(await bed.Vlans(keys).ListAsync(node.TrunkId));
        Assert.Empty(await bed.Admin.GetSubportsAsync(node.TrunkId));
    }

    [Fact]
    public async Task Deleting_removes_the_subports_in_one_call_releases_their_vlans_then_deletes_the_ports()
    {
        var node = await bed.CreateNodeAsync();
        var keys = NestedTrunkBed.NewKeys();
        var driver = bed.CreateDriver(keys);
        var target = bed.Target(node);
        var ports = await driver.CreatePortsAsync(target, 3, CancellationToken.None);
        var kept = ports[2].PortId;
        var keptVlan = (await bed.Admin.GetSubportsAsync(node.TrunkId)).Single(s => s.PortId == kept).SegmentationId;
        var loose = await bed.Admin.CreatePortAsync(new() { NetworkId = bed.PodNetwork.Id, ProjectId = bed.Project.ProjectId }); // not on the trunk
        bed.Proxy.ResetCounts();

        await driver.DeletePortsAsync(target.Pool, [ports[0].PortId, ports[1].PortId, ports[0].PortId, loose.Id, "00000000-0000-0000-0000-000000000000"], CancellationToken.None);

        Assert.Equal(1, bed.Proxy.Count("PUT", RemoveSubports));
        var left = (await bed.PodPortsAsync()).Select(p => p.Id).ToHashSet();
        Assert.DoesNotContain(ports[0].PortId, left);
        Assert.DoesNotContain(ports[1].PortId, left);
        Assert.DoesNotContain(loose.Id, left);
        Assert.Contains(kept, left);
        Assert.Equal([kept], (await bed.Admin.GetSubportsAsync(node.TrunkId)).Select(s => s.PortId));
        Assert.Equal([keptVlan], await bed.Vlans(keys).ListAsync(node.TrunkId));

        // Order on the wire: remove_subports before any port DELETE.
        var requests = bed.Proxy.Requests.Select(r => r.Method + " " + r.Path).ToList();
        var removeAt = requests.FindIndex(r => r.EndsWith("/remove_subports", StringComparison.Ordinal));
        var firstDelete = requests.FindIndex(r => r.StartsWith("DELETE ", StringComparison.Ordinal));
        Assert.True(removeAt >= 0 && removeAt < firstDelete, string.Join("\n", requests));
    }

    [Fact]
    public async Task A_port_still_a_subport_of_another_trunk_is_detached_and_deleted()
    {
        var node = await bed.CreateNodeAsync();
        var other = await bed.CreateNodeAsync();
        var keys = NestedTrunkBed.NewKeys();
        var driver = bed.CreateDriver(keys);
        var elsewhere = await bed.AttachHandMadePortAsync(other.TrunkId, vlan: 300);

        // The pool says node, Neutron says other's trunk: the delete answers PortInUseAsSubPort (BZ 2002171).
        await driver.DeletePortsAsync(bed.Target(node).Pool, [elsewhere.Id], CancellationToken.None);

        Assert.DoesNotContain(elsewhere.Id, (await bed.PodPortsAsync()).Select(p => p.Id));
        Assert.Empty(await bed.Admin.GetSubportsAsync(other.TrunkId));
    }

    [Fact]
    public async Task Discovery_finds_our_subports_and_hand_made_ones_on_node_trunks_only_and_syncs_the_vlan_reservations()
    {
        var node = await bed.CreateNodeAsync();
        var foreign = await bed.CreateNodeAsync(bed.OtherSubnet); // a trunk, but not a worker VM's
        var keys = NestedTrunkBed.NewKeys();
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var driver = bed.CreateDriver(keys, time: time);
        var target = bed.Target(node);
        var ours = await driver.CreatePortsAsync(target, 2, CancellationToken.None);
        var handMade = await bed.AttachHandMadePortAsync(node.TrunkId, vlan: 900);
        var notOurs = await bed.AttachHandMadePortAsync(node.TrunkId, vlan: 901, deviceOwner: "");
        var onForeign = await bed.AttachHandMadePortAsync(foreign.TrunkId, vlan: 902);

        // A reservation whose creator died long ago (never attached), and a fresh one (in flight).
        var vlans = bed.Vlans(keys, time);
        var stale = await vlans.ReserveAsync(node.TrunkId, [.. Enumerable.Range(1, 4094).Except([42])], 1);
        time.Advance(TimeSpan.FromHours(1));
        var fresh = await vlans.ReserveAsync(node.TrunkId, [.. Enumerable.Range(1, 4094).Except([43])], 1);
        Assert.Equal([42], stale);
        Assert.Equal([43], fresh);

        var found = await driver.DiscoverAsync(CancellationToken.None);

        var byId = found.ToDictionary(d => d.PortId);
        Assert.DoesNotContain(notOurs.Id, byId.Keys);
        Assert.DoesNotContain(onForeign.Id, byId.Keys);
        Assert.Equal(ours.Select(p => p.PortId).Append(handMade.Id).Order(), byId.Keys.Where(k => byId[k].Pool.Host == node.HostIp).Order());

        var subports = (await bed.Admin.GetSubportsAsync(node.TrunkId)).ToDictionary(s => s.PortId, s => s.SegmentationId);
        foreach (var p in ours)
        {
            var d = byId[p.PortId];
            Assert.Equal(target.Pool, d.Pool);
            Assert.True(d.Tagged);
            Assert.Equal(subports[p.PortId], Assert.IsType<VifVlanNested>(VifJson.Deserialize(d.VifJson)).VlanId);
            Assert.NotNull(d.CreatedAt);
        }

        var hand = byId[handMade.Id];
        Assert.False(hand.Tagged);
        Assert.Equal(target.Pool, hand.Pool);
        Assert.Equal(900, Assert.IsType<VifVlanNested>(VifJson.Deserialize(hand.VifJson)).VlanId);
        Assert.Equal(new SecurityGroupSet((await bed.Admin.GetPortAsync(handMade.Id)).SecurityGroups), hand.SecurityGroups);

        // In-use ids are reserved, the stale never-attached 42 is dropped, the fresh 43 stays.
        Assert.Equal(subports.Values.Append(43).Order(), await vlans.ListAsync(node.TrunkId));
    }

    [Fact]
    public async Task Bug_a_multi_vif_port_of_one_pod_on_the_trunk_was_adopted_into_a_pool_by_discovery()
    {
        // A per-pod (NPWG nested-vlan) port whose KuryrPort write did not happen before a crash: it
        // carries our cluster tags and sits on the node's trunk. Pooling it would hand it to a second
        // pod while the first pod's retry finds it again by name.
        var node = await bed.CreateNodeAsync();
        var driver = bed.CreateDriver(NestedTrunkBed.NewKeys());
        var pooled = await driver.CreatePortsAsync(bed.Target(node), 1, CancellationToken.None);
        var perPod = await bed.Admin.CreatePortAsync(new PortCreate
        {
            NetworkId = bed.PodNetwork.Id,
            ProjectId = bed.Project.ProjectId,
            FixedIps = [new FixedIpRequest { SubnetId = bed.PodSubnet.Id }],
            DeviceOwner = "compute:kuryr:multi-vif",
            Tags = [.. bed.Ownership.Tags, PortTags.PerPod],
        });
        await bed.Admin.AddSubportsAsync(node.TrunkId, [new SubPort(perPod.Id, 903)]);

        var found = (await driver.DiscoverAsync(CancellationToken.None)).Select(d => d.PortId).ToList();

        Assert.Contains(pooled[0].PortId, found);
        Assert.DoesNotContain(perPod.Id, found);
    }

    [Fact]
    public async Task Security_groups_are_updated_and_an_empty_set_is_refused_leaving_the_port_alone()
    {
        var node = await bed.CreateNodeAsync();
        var driver = bed.CreateDriver(NestedTrunkBed.NewKeys());
        var sg = await bed.Admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = "pods", ProjectId = bed.Project.ProjectId });
        var port = (await driver.CreatePortsAsync(bed.Target(node), 1, CancellationToken.None))[0];

        await driver.UpdateSecurityGroupsAsync(port.PortId, new SecurityGroupSet([sg.Id]), CancellationToken.None);
        Assert.Equal([sg.Id], (await bed.Admin.GetPortAsync(port.PortId)).SecurityGroups);

        // [] would strip every group: the manager resolves "the project's default" first.
        var e = await Assert.ThrowsAsync<ArgumentException>(() => driver.UpdateSecurityGroupsAsync(port.PortId, SecurityGroupSet.Default, CancellationToken.None));
        Assert.Contains(port.PortId, e.Message, StringComparison.Ordinal);
        Assert.Equal([sg.Id], (await bed.Admin.GetPortAsync(port.PortId)).SecurityGroups);
    }

    [Fact]
    public async Task Ports_are_created_with_the_requested_security_groups()
    {
        var node = await bed.CreateNodeAsync();
        var driver = bed.CreateDriver(NestedTrunkBed.NewKeys());
        var sg = await bed.Admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = "pods-2", ProjectId = bed.Project.ProjectId });

        var port = (await driver.CreatePortsAsync(bed.Target(node, new SecurityGroupSet([sg.Id])), 1, CancellationToken.None))[0];

        Assert.Equal([sg.Id], (await bed.Admin.GetPortAsync(port.PortId)).SecurityGroups);
    }

    [Fact]
    public void A_pod_without_host_ip_gets_an_error_naming_status_host_ip()
    {
        var driver = bed.CreateDriver(NestedTrunkBed.NewKeys());
        var request = new PodVifRequest("ns", "pod", "uid", "node-1", null, "eth0", "p", "s", "n", SecurityGroupSet.Default);

        var e = Assert.Throws<PoolDriverException>(() => driver.PoolFor(request));
        Assert.Contains("status.hostIP", e.Message, StringComparison.Ordinal);
        Assert.Contains("ns/pod", e.Message, StringComparison.Ordinal);

        var ok = driver.PoolFor(request with { HostIp = "10.66.0.9" });
        Assert.Equal(new PoolKey("10.66.0.9", "p", "n"), ok);
        Assert.Throws<PoolDriverException>(() => driver.PoolFor(request with { HostIp = "node-1" }));
    }

    [Fact]
    public async Task A_node_ip_nobody_has_a_vm_port_without_trunk_and_an_ip_outside_the_worker_subnets_give_clear_errors()
    {
        var driver = bed.CreateDriver(NestedTrunkBed.NewKeys());
        var before = (await bed.PodPortsAsync()).Count;

        var nobody = new NodeVm("10.66.0.250", "", "");
        var e1 = await Assert.ThrowsAsync<PoolDriverException>(() => driver.CreatePortsAsync(bed.Target(nobody), 1, CancellationToken.None));
        Assert.Contains("K8sNodeTrunkPortFailure", e1.Message, StringComparison.Ordinal);
        Assert.Contains("no Neutron port has that IP", e1.Message, StringComparison.Ordinal);

        var noTrunk = await bed.CreateNodeAsync(withTrunk: false);
        var e2 = await Assert.ThrowsAsync<PoolDriverException>(() => driver.CreatePortsAsync(bed.Target(noTrunk), 1, CancellationToken.None));
        Assert.Contains("has no trunk", e2.Message, StringComparison.Ordinal);
        Assert.Contains(noTrunk.ParentPortId, e2.Message, StringComparison.Ordinal);

        var foreign = await bed.CreateNodeAsync(bed.OtherSubnet);
        var e3 = await Assert.ThrowsAsync<PoolDriverException>(() => driver.CreatePortsAsync(bed.Target(foreign), 1, CancellationToken.None));
        Assert.Contains("worker_nodes_subnets", e3.Message, StringComparison.Ordinal);
        Assert.Contains(foreign.ParentPortId, e3.Message, StringComparison.Ordinal);

        var unconfigured = bed.CreateDriver(NestedTrunkBed.NewKeys(), workerSubnets: []);
        var e4 = await Assert.ThrowsAsync<PoolDriverException>(() => unconfigured.CreatePortsAsync(bed.Target(foreign), 1, CancellationToken.None));
        Assert.Contains("[pod_vif_nested] worker_nodes_subnets is empty", e4.Message, StringComparison.Ordinal);

        Assert.Equal(before, (await bed.PodPortsAsync()).Count); // nothing created on the way
    }

    [Fact]
    public async Task A_trunk_replaced_on_the_node_is_looked_up_again()
    {
        var node = await bed.CreateNodeAsync();
        var driver = bed.CreateDriver(NestedTrunkBed.NewKeys());
        await driver.CreatePortsAsync(bed.Target(node), 1, CancellationToken.None); // caches the trunk
        foreach (var s in await bed.Admin.GetSubportsAsync(node.TrunkId))
        {
            await bed.Admin.RemoveSubportsAsync(node.TrunkId, [s.PortId]);
        }

        Assert.True(await bed.Admin.DeleteTrunkAsync(node.TrunkId));
        var replacement = await bed.Admin.CreateTrunkAsync(new() { PortId = node.ParentPortId, ProjectId = bed.Project.ProjectId });

        var ports = await driver.CreatePortsAsync(bed.Target(node), 2, CancellationToken.None);

        Assert.Equal(ports.Select(p => p.PortId).Order(), (await bed.Admin.GetSubportsAsync(replacement.Id)).Select(s => s.PortId).Order());
    }
}
