using Kuryr.Config.Options;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Drivers.Neutron;
using Kuryr.Pools.Recovery;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Tests.Recovery;

/// <summary>Recovery against real Redis, the real neutron-server and the real kube-apiserver.</summary>
[Collection(NeutronTestProject.Collection)]
public sealed class PoolRecoveryTests(RecoveryBed bed) : IClassFixture<RecoveryBed>
{
    private static Dictionary<string, HashSet<string>> AvailableByBucket(PoolSnapshot s) =>
        s.AvailableByBucket.ToDictionary(b => b.Key, b => b.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    private async Task<string> NewSecurityGroupAsync(string name) =>
        (await bed.Project.Admin.CreateSecurityGroupAsync(new Kuryr.Neutron.SecurityGroups.SecurityGroupCreate { Name = name, ProjectId = bed.Project.ProjectId })).Id;

    [Fact]
    public async Task Redis_loss_is_rebuilt_with_the_same_available_sets_and_referenced_ports_assigned()
    {
        await using var scope = bed.NewScope("rebuild");
        var sgA = new SecurityGroupSet([await NewSecurityGroupAsync("rec-a")]);
        var sgB = new SecurityGroupSet([await NewSecurityGroupAsync("rec-b")]);
        await scope.PopulateAsync(3, host: 0, sgA);
        await scope.PopulateAsync(2, host: 0, sgB);
        await scope.PopulateAsync(2, host: 1, sgA);
        Assert.False(scope.Recovery.IsRecovered);
        await scope.Recovery.RecoverAsync();
        Assert.True(scope.Recovery.IsRecovered);

        // A pod takes one port; its KuryrPort references it.
        var taken = await scope.Store.TakeAsync(scope.Pool(0), sgA, $"{bed.Namespace}/pod-a/uid-a/eth0");
        Assert.NotNull(taken);
        await bed.CreateKuryrPortAsync("pod-a", "uid-a", new Dictionary<string, string> { ["eth0"] = taken.VifJson });
        var before0 = await scope.Store.ReadAsync(scope.Pool(0));
        var before1 = await scope.Store.ReadAsync(scope.Pool(1));

        await scope.WipeRedisAsync();
        Assert.True(await scope.Recovery.CheckForLossAsync());
        Assert.False(scope.Recovery.IsRecovered);

        var report = await scope.Recovery.RecoverAsync();

        Assert.True(report.Rebuilt);
        Assert.True(scope.Recovery.IsRecovered);
        Assert.False(await scope.Recovery.CheckForLossAsync());
        var after0 = await scope.Store.ReadAsync(scope.Pool(0));
        var after1 = await scope.Store.ReadAsync(scope.Pool(1));
        Assert.Equal(AvailableByBucket(before0), AvailableByBucket(after0));
        Assert.Equal(AvailableByBucket(before1), AvailableByBucket(after1));
        Assert.Equal(PortState.Assigned, after0.States[taken.PortId]);
        Assert.Equal($"{bed.Namespace}/pod-a/uid-a/eth0", after0.Owners[taken.PortId]);
        Assert.Equal(6, report.Adopted);
        Assert.Equal(1, report.Assigned);
        Assert.Equal("neutron", await scope.Metadata.GetDriverAsync(scope.Pool(0))); // the wipe dropped it: recovery recorded it again
        Assert.Equal("neutron", await scope.Metadata.GetDriverAsync(scope.Pool(1)));

        // Idempotent: a second pass (another replica) changes nothing.
        var again = await scope.NewRecovery().RecoverAsync();
        Assert.False(again.Rebuilt);
        Assert.Equal(0, again.TotalRepairs);
        await bed.DeleteKuryrPortAsync("pod-a");
    }

    [Fact]
    public async Task Drift_is_repaired_case_by_case()
    {
        await using var scope = bed.NewScope("drift");
        var ports = await scope.PopulateAsync(6);
        await scope.Recovery.RecoverAsync();
        var pool = scope.Pool(0);

        // Takes first (they pop ports[0..2] in LRU order).
        // (c) assigned to an owner whose KuryrPort is gone
        var orphan = await scope.Store.TakeAsync(pool, SecurityGroupSet.Default, $"{bed.Namespace}/pod-gone/uid-gone/eth0");
        // (d) assigned to an owner whose KuryrPort exists without vifs yet (a take in flight): kept
        var inFlight = await scope.Store.TakeAsync(pool, SecurityGroupSet.Default, $"{bed.Namespace}/pod-flight/uid-flight/eth0");
        await bed.CreateKuryrPortAsync("pod-flight", "uid-flight", new Dictionary<string, string>());
        // (f) an interrupted deletion
        var deleting = await scope.Store.TakeAsync(pool, SecurityGroupSet.Default, $"{bed.Namespace}/pod-del/uid-del/eth0");
        await scope.Store.BeginDeleteAsync(pool, deleting!.PortId, PortState.Assigned);
        // (a) in Redis, gone from Neutron
        var gone = ports[3].PortId;
        await bed.Project.Admin.DeletePortAsync(gone);
        // (b) available in Redis but a KuryrPort references it
        var referenced = ports[4];
        await bed.CreateKuryrPortAsync("pod-ref", "uid-ref", new Dictionary<string, string> { ["eth0"] = referenced.VifJson });
        // (e) in Neutron (ours) but unknown to Redis
        var unknown = (await scope.Driver.CreatePortsAsync(scope.Target(), 1, default))[0];
        Assert.NotNull(orphan);
        Assert.NotNull(inFlight);

        var report = await scope.NewRecovery().RecoverAsync();

        var s = await scope.Store.ReadAsync(pool);
        Assert.False(s.States.ContainsKey(gone));
        Assert.Equal(PortState.Assigned, s.States[referenced.PortId]);
        Assert.Equal($"{bed.Namespace}/pod-ref/uid-ref/eth0", s.Owners[referenced.PortId]);
        Assert.Equal(PortState.Recyclable, s.States[orphan.PortId]);
        Assert.Equal(PortState.Assigned, s.States[inFlight.PortId]);
        Assert.Equal(PortState.Available, s.States[unknown.PortId]);
        Assert.False(s.States.ContainsKey(deleting.PortId));
        await Assert.ThrowsAsync<Kuryr.Neutron.Errors.NeutronNotFoundException>(() => bed.Project.Admin.GetPortAsync(deleting.PortId));
        Assert.Equal((1, 1, 1, 1, 1), (report.Forgotten, report.Assigned, report.Released, report.Adopted, report.DeletionsFinished));
        await bed.DeleteKuryrPortAsync("pod-ref");
        await bed.DeleteKuryrPortAsync("pod-flight");
    }

    [Fact]
    public async Task Hand_made_ports_with_the_right_device_owner_load_into_their_pool()
    {
        await using var scope = bed.NewScope("handmade");
        var made = await bed.Project.Admin.CreatePortsAsync(
        [
            .. Enumerable.Range(0, 2).Select(_ => new PortCreate
            {
                NetworkId = bed.Network.Id,
                ProjectId = bed.Project.ProjectId,
                DeviceOwner = "compute:kuryr",
                BindingHostId = bed.Hosts[1],
                FixedIps = [new FixedIpRequest { SubnetId = bed.Subnet.Id }],
                Tags = [.. scope.Ownership.Tags],
            }),
        ]);

        var report = await scope.Recovery.RecoverAsync();

        var s = await scope.Store.ReadAsync(scope.Pool(1));
        Assert.All(made, p => Assert.Equal(PortState.Available, s.States[p.Id]));
        Assert.Equal(2, report.Adopted);
    }

    [Fact]
    public async Task Bug_hand_made_ports_without_the_cluster_tag_were_not_adopted()
    {
        await using var scope = bed.NewScope("untagged");
        PortCreate HandMade(IReadOnlyList<string> tags) => new()
        {
            NetworkId = bed.Network.Id,
            ProjectId = bed.Project.ProjectId,
            DeviceOwner = "compute:kuryr",
            BindingHostId = bed.Hosts[1],
            FixedIps = [new FixedIpRequest { SubnetId = bed.Subnet.Id }],
            Tags = tags,
        };
        var untagged = await bed.Project.Admin.CreatePortsAsync([HandMade([]), HandMade(["made-by-a-script"])]);
        var foreign = await bed.Project.Admin.CreatePortAsync(HandMade(["kuryr.node.cluster=another-cluster"]));

        // The cluster's project is configured ([neutron_defaults] project): the operator's ports in it
        // are adopted; the one another cluster tagged is not.
        var driver = new NeutronPoolDriver(bed.Project.Admin,
            new SubnetCache(bed.Project.Admin, Options.Create(new SubnetCachingOptions()), TimeProvider.System), scope.Ownership,
            Options.Create(new NeutronDefaultsOptions { ClusterId = scope.ClusterId, Project = bed.Project.ProjectId }),
            Options.Create(new KubernetesOptions()), NullLogger<NeutronPoolDriver>.Instance);
        await scope.NewRecovery(driver).RecoverAsync();

        var s = await scope.Store.ReadAsync(scope.Pool(1));
        Assert.All(untagged, p => Assert.Equal(PortState.Available, s.States[p.Id]));
        Assert.False(s.States.ContainsKey(foreign.Id));

        // Without a configured project nothing untagged is looked for (a cloud-wide listing could
        // adopt another tenant's ports).
        await using var unscoped = bed.NewScope("untagged-unscoped");
        await unscoped.Recovery.RecoverAsync();
        var u = await unscoped.Store.ReadAsync(unscoped.Pool(1));
        Assert.DoesNotContain(untagged[0].Id, u.States.Keys);
    }

    [Fact]
    public async Task Interrupted_population_creating_entries_are_finished_when_the_population_lock_is_free()
    {
        await using var scope = bed.NewScope("creating");
        var pool = scope.Pool(0);
        var created = await scope.Driver.CreatePortsAsync(scope.Target(), 2, default);
        await scope.Store.AddCreatingAsync(pool, SecurityGroupSet.Default, created);
        var phantom = new PooledPort("00000000-0000-4000-8000-" + Guid.NewGuid().ToString("N")[..12], "");
        await scope.Store.AddCreatingAsync(pool, SecurityGroupSet.Default, [phantom]);

        // A population holds the lock: left alone.
        await using (var held = await scope.Locks.TryAcquireAsync(pool, TimeSpan.FromMinutes(1)))
        {
            Assert.NotNull(held);
            Assert.Equal(0, await scope.Recovery.FinishStaleCreatingAsync(pool));
            Assert.Equal(3, (await scope.Store.ReadAsync(pool)).Count(PortState.Creating));
        }

        var report = await scope.Recovery.RecoverAsync();

        var s = await scope.Store.ReadAsync(pool);
        Assert.All(created, p => Assert.Equal(PortState.Available, s.States[p.PortId]));
        Assert.False(s.States.ContainsKey(phantom.PortId));
        Assert.Equal(3, report.CreatingFinished);
    }

    [Fact]
    public async Task Bug_creating_entries_of_a_population_that_crashed_shortly_before_a_restart_were_never_finished()
    {
        await using var scope = bed.NewScope("sweep");
        var pool = scope.Pool(0);
        var created = await scope.Driver.CreatePortsAsync(scope.Target(), 2, default);

        // The dead process's population: its creating entries and its lock, which outlives the
        // restart (here 1 s instead of populate_lock_timeout).
        await scope.Store.AddCreatingAsync(pool, SecurityGroupSet.Default, created);
        var deadProcessLock = await scope.Locks.TryAcquireAsync(pool, TimeSpan.FromSeconds(1));
        Assert.NotNull(deadProcessLock);

        // The restarted controller recovers while the lock is still held: entries left alone.
        var recovery = new PoolRecovery(scope.Store, scope.Locks, scope.Metadata, bed.Redis, scope.Keys, [scope.Driver], scope.References,
            TimeProvider.System, Options.Create(new PoolRecoveryOptions
            {
                LockRetryInterval = TimeSpan.FromMilliseconds(50),
                LossCheckInterval = TimeSpan.FromMilliseconds(100),
                StaleCreatingSweepInterval = TimeSpan.FromMilliseconds(200),
            }), NullLogger<PoolRecovery>.Instance);
        await recovery.RecoverAsync();
        Assert.Equal(2, (await scope.Store.ReadAsync(pool)).Count(PortState.Creating));

        // Its background loop finishes them once the lock has expired.
        using var stop = new CancellationTokenSource();
        var loop = recovery.RunAsync(stop.Token);
        PoolSnapshot s;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(100);
            s = await scope.Store.ReadAsync(pool);
        }
        while (s.Count(PortState.Creating) > 0 && DateTimeOffset.UtcNow < deadline);
        await stop.CancelAsync();
        await loop;

        Assert.Equal(0, s.Count(PortState.Creating));
        Assert.All(created, p => Assert.Equal(PortState.Available, s.States[p.PortId]));
    }

    [Fact]
    public async Task Two_replicas_recovering_at_once_give_one_consistent_state()
    {
        await using var scope = bed.NewScope("concurrent");
        await scope.PopulateAsync(4);
        await scope.WipeRedisAsync();

        var r1 = scope.NewRecovery();
        var r2 = scope.NewRecovery();
        var reports = await Task.WhenAll(r1.RecoverAsync(), r2.RecoverAsync());

        Assert.True(r1.IsRecovered && r2.IsRecovered);
        Assert.Equal(4, reports.Sum(r => r.Adopted));
        var s = await scope.Store.ReadAsync(scope.Pool(0));
        Assert.Equal(4, s.Count(PortState.Available));
        Assert.Equal(4, s.AvailableByBucket.Values.Sum(b => b.Count));
    }

    [Fact]
    public async Task Bug_default_security_group_ports_came_back_in_another_bucket_after_a_rebuild()
    {
        // Ports populated for a request with no security groups ("the project's default") used to
        // land in bucket '' while Neutron reported them with the default group's id. Now requests
        // are normalised to that explicit id: the ports live in bucket [default-id] before and after
        // a rebuild, and a default request takes them with a match: no update_port.
        await using var scope = bed.NewScope("default-sg");
        await using var proxy = await FaultProxy.StartAsync(bed.Project.Bed.HeadersEndpoint);
        var driver = scope.NewDriver(bed.Project.CreateClient(proxy.BaseAddress, ["admin"]));
        var defaultId = await DefaultSecurityGroupIdAsync();
        await using var manager = scope.NewManager(new VifPoolOptions { PortsPoolMin = 0, PortsPoolBatch = 2 }, driver);
        Assert.Equal(2, await manager.PopulateAsync(scope.Target(), 2));
        var before = await scope.Store.ReadAsync(scope.Pool(0));
        Assert.Equal([defaultId], before.AvailableByBucket.Keys);
        Assert.All(before.AvailableByBucket[defaultId], p => Assert.Equal(PortState.Available, before.States[p]));

        await scope.WipeRedisAsync();
        await scope.Recovery.RecoverAsync();

        var after = await scope.Store.ReadAsync(scope.Pool(0));
        Assert.Equal(AvailableByBucket(before), AvailableByBucket(after));
        proxy.ResetCounts();
        proxy.InjectFault("PUT", "/ports/", ProxyFault.Status(500, "{\"NeutronError\":{\"type\":\"Boom\",\"message\":\"no swap expected\",\"detail\":\"\"}}"), times: 10);
        var taken = await manager.RequestVifAsync(DefaultRequest("p"));
        Assert.Contains(taken.PortId, before.AvailableByBucket[defaultId]);
        Assert.Equal(0, proxy.Count(r => r.Method == "PUT"));
        Assert.Equal([defaultId], (await bed.Project.Admin.GetPortAsync(taken.PortId)).SecurityGroups);
    }

    [Fact]
    public async Task Bug_default_security_group_ports_came_back_in_another_bucket_after_a_rebuild_legacy_empty_bucket_is_rebucketed()
    {
        // Redis written before the fix: ports created without groups, filed under bucket ''.
        // Recovery moves them to the bucket of their real groups (the default group's id).
        await using var scope = bed.NewScope("legacy-sg");
        var ports = await scope.Driver.CreatePortsAsync(scope.Target(), 2, default);
        await scope.Store.AddAvailableAsync(scope.Pool(0), SecurityGroupSet.Default, ports);
        var defaultId = await DefaultSecurityGroupIdAsync();

        var report = await scope.Recovery.RecoverAsync();

        var after = await scope.Store.ReadAsync(scope.Pool(0));
        Assert.False(report.Rebuilt);
        Assert.Equal(2, report.Adopted);
        Assert.Equal([defaultId], after.AvailableByBucket.Keys);
        Assert.Equal(ports.Select(p => p.PortId).ToHashSet(), after.AvailableByBucket[defaultId].ToHashSet());
        Assert.All(ports, p => Assert.Equal(PortState.Available, after.States[p.PortId]));
        Assert.Equal(0, (await scope.NewRecovery().RecoverAsync()).TotalRepairs);
    }

    private PodVifRequest DefaultRequest(string pod) =>
        new(bed.Namespace, pod, Guid.NewGuid().ToString(), bed.Hosts[0], null, "eth0", bed.Project.ProjectId, bed.Subnet.Id, bed.Network.Id, SecurityGroupSet.Default);

    private async Task<string> DefaultSecurityGroupIdAsync()
    {
        await foreach (var sg in bed.Project.Admin.ListSecurityGroupsAsync(new SecurityGroupFilter { Name = "default", ProjectId = bed.Project.ProjectId }))
        {
            return sg.Id;
        }

        throw new InvalidOperationException("the test project has no default security group");
    }
}
