using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Neutron.Trunks;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Drivers.MultiPool;
using Kuryr.Pools.Drivers.Nested;
using Kuryr.Pools.GarbageCollection;
using Kuryr.Pools.Manager;
using Kuryr.Pools.State;
using Kuryr.Pools.Tests.Recovery;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Kuryr.Pools.Tests.CrashSafety;

/// <summary>
/// The crash-safety suite for the <c>nested</c> pool driver's population, whose steps sit INSIDE the
/// driver: reserve VLAN ids (Redis) → bulk create (Neutron) → record <c>creating</c> (Redis) →
/// add_subports (Neutron) → the manager's add(available). The driver's own collaborators (its
/// Neutron client, its state store, its VLAN reservations) go through the same <see cref="CrashPlan"/>
/// as the manager's store, lock and driver, so the process dies before each of those steps in
/// turn (and every read step before them). A new process then recovers on a REAL worker VM (an
/// unbound parent port on a worker subnet + its trunk), real Neutron, Redis and kube-apiserver.
/// </summary>
[Collection(NeutronTestProject.Collection)]
public sealed class NestedCrashSafetyTests(RecoveryBed bed, ITestOutputHelper output) : IClassFixture<RecoveryBed>
{
    private static VifPoolOptions Pools() => new()
    {
        PortsPoolMin = 0,
        PortsPoolBatch = 2,
        PortsPoolMax = 0,
        PopulateLockTimeoutSeconds = 30,
    };

    private sealed record Vm(string HostIp, string ParentPortId, string TrunkId);

    private sealed record Worker(string SubnetId);

    private async Task<Worker> NewWorkerSubnetAsync(string cidr)
    {
        var (_, subnet) = await bed.Project.CreateNetworkAsync(cidr);
        return new Worker(subnet.Id);
    }

    private async Task<Vm> NewVmAsync(Worker worker)
    {
        var subnet = await bed.Project.Admin.GetSubnetAsync(worker.SubnetId);
        var parent = await bed.Project.Admin.CreatePortAsync(new PortCreate
        {
            NetworkId = subnet.NetworkId,
            ProjectId = bed.Project.ProjectId,
            FixedIps = [new FixedIpRequest { SubnetId = subnet.Id }],
            Name = "vm-parent",
        });
        var trunk = await bed.Project.Admin.CreateTrunkAsync(new TrunkCreate { PortId = parent.Id, ProjectId = bed.Project.ProjectId });
        return new Vm(parent.FixedIps[0].IpAddress!, parent.Id, trunk.Id);
    }

    /// <summary>Detaches everything, deletes the trunk and the parent (the scope deletes the tagged ports).</summary>
    private async Task DeleteVmAsync(Vm vm)
    {
        var subports = await bed.Project.Admin.GetSubportsAsync(vm.TrunkId);
        if (subports.Count > 0)
        {
            await bed.Project.Admin.RemoveSubportsAsync(vm.TrunkId, [.. subports.Select(s => s.PortId)]);
        }

        await bed.Project.Admin.DeleteTrunkAsync(vm.TrunkId);
        await bed.Project.Admin.DeletePortAsync(vm.ParentPortId);
    }

    private static NestedPoolDriver NewDriver(
        RecoveryBed.Scope scope, Worker worker, INeutronClient neutron, IPoolStateStore store, IVlanReservations vlans, TimeProvider time) =>
        new(neutron, vlans, store, scope.Ownership,
            new NodeTrunks(neutron, Options.Create(new PodVifNestedOptions { WorkerNodesSubnets = [worker.SubnetId] })),
            new SubnetCache(neutron, Options.Create(new SubnetCachingOptions()), time),
            Options.Create(new NeutronDefaultsOptions { ClusterId = scope.ClusterId }), Options.Create(new KubernetesOptions()),
            Options.Create(Pools()), NullLogger<NestedPoolDriver>.Instance, time);

    private static VifPoolManager NewManager(RecoveryBed.Scope scope, IPoolDriver driver, IPoolStateStore store, IPopulateLockService locks)
    {
        var options = Pools();
        var selector = new PoolDriverSelector([driver],
            Options.Create(new KubernetesOptions { VifPoolDriver = KuryrDrivers.NestedPool, PodVifDriver = KuryrDrivers.NestedVlan }),
            Options.Create(options), Options.Create(new NodeDriverCachingOptions()), TimeProvider.System);
        var readiness = new PoolReadiness();
        readiness.MarkRecovered();
        return new VifPoolManager(selector, scope.DefaultGroups, store, locks, scope.Metadata, Options.Create(options), readiness, new NullPoolEvents(),
            TimeProvider.System, new PoolMetrics(), NullLogger<VifPoolManager>.Instance);
    }

    private sealed record Outcome(string CrashedAt, IReadOnlyList<int> ReservedByTheDeadProcess);

    /// <summary>One process populating 2 ports into the VM's pool, dying before <paramref name="crashBefore"/> (null: never).</summary>
    private async Task<(Outcome Outcome, IReadOnlyList<string> Steps)> PopulateAndDieAsync(
        RecoveryBed.Scope scope, Worker worker, Vm vm, SecurityGroupSet sg, ManualTimeProvider clock, string? crashBefore)
    {
        var plan = new CrashPlan { CrashBefore = crashBefore };
        var vlans = new CrashingVlans(new RedisVlanReservations(bed.Redis, scope.Keys, clock), plan);
        var driver = NewDriver(scope, worker, new CrashingNeutron(bed.Project.Admin, plan), new CrashingStore(scope.Store, plan), vlans, clock);
        var manager = NewManager(scope, new CrashingDriver(driver, plan), new CrashingStore(scope.Store, plan), new CrashingLocks(scope.Locks, plan));
        try
        {
            await manager.PopulateAsync(Target(scope, vm, sg), 2);
        }
        catch (SimulatedCrashException)
        {
        }

        await manager.RefillsAsync();
        plan.Kill();
        try
        {
            await manager.DisposeAsync();
        }
        catch (SimulatedCrashException)
        {
        }

        return (new Outcome(plan.CrashedAt!, vlans.Reserved), plan.Recorded);
    }

    private PoolTarget Target(RecoveryBed.Scope scope, Vm vm, SecurityGroupSet sg) =>
        new(new PoolKey(vm.HostIp, bed.Project.ProjectId, bed.Network.Id), NestedPoolDriver.DriverName, "node-x", bed.Subnet.Id, sg) { };

    [Fact]
    public async Task Nested_populate_interrupted_before_any_inner_step_leaves_every_port_in_one_state_and_no_vlan_held_by_a_gone_port()
    {
        var worker = await NewWorkerSubnetAsync("10.81.0.0/24");
        SecurityGroupSet sg = new([(await bed.Project.Admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = "crash-nested", ProjectId = bed.Project.ProjectId })).Id]);

        IReadOnlyList<string> steps;
        await using (var scope = bed.NewScope("nested-record"))
        {
            var vm = await NewVmAsync(worker);
            try
            {
                var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
                (var outcome, steps) = await PopulateAndDieAsync(scope, worker, vm, sg, clock, crashBefore: null);
                output.WriteLine("nested populate: " + string.Join(" → ", steps));
                await RestartAndCheckAsync(scope, worker, vm, clock, outcome);
            }
            finally
            {
                await DeleteVmAsync(vm);
            }
        }

        // The inner steps are all there, in this order.
        var order = new[] { "vlans.Reserve#1", "api.CreatePorts#1", "store.AddCreating#1", "api.AddSubports#1", "store.AddAvailable#1" }
            .Select(s => steps.ToList().IndexOf(s)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);

        foreach (var crashBefore in steps.Append("(end)"))
        {
            await using var scope = bed.NewScope("nested-crash");
            var vm = await NewVmAsync(worker);
            try
            {
                var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
                var (outcome, _) = await PopulateAndDieAsync(scope, worker, vm, sg, clock, crashBefore);
                Assert.Equal(crashBefore, outcome.CrashedAt);
                await RestartAndCheckAsync(scope, worker, vm, clock, outcome);
            }
            catch (Exception e) when (e is not SimulatedCrashException)
            {
                throw new Xunit.Sdk.XunitException($"nested populate, crashed before {crashBefore}: {e}");
            }
            finally
            {
                await DeleteVmAsync(vm);
            }
        }
    }

    /// <summary>The restarted process: recovery; the crashed populator's lock expiring (deleted, as
    /// populate_lock_timeout would) and the stale creating entries finished; GC for bulk-created ports
    /// that never reached Redis; then the invariants and the VLAN reservations.</summary>
    private async Task RestartAndCheckAsync(RecoveryBed.Scope scope, Worker worker, Vm vm, ManualTimeProvider clock, Outcome outcome)
    {
        var vlans = new RedisVlanReservations(bed.Redis, scope.Keys, clock);
        var driver = NewDriver(scope, worker, bed.Project.Admin, scope.Store, vlans, clock);
        var recovery = scope.NewRecovery(driver);
        await recovery.RecoverAsync();

        var pool = new PoolKey(vm.HostIp, bed.Project.ProjectId, bed.Network.Id);
        // The dead process's population lock expires (populate_lock_timeout); then its creating entries are finished.
        await bed.Redis.GetDatabase(scope.Keys.Database).KeyDeleteAsync(scope.Keys.For(pool).PopulateLock);
        await recovery.FinishStaleCreatingAsync(pool);

        // Ports bulk-created but never recorded are on no trunk: recovery cannot place them; the GC deletes them.
        var attached = (await bed.Project.Admin.GetSubportsAsync(vm.TrunkId)).ToDictionary(s => s.PortId, s => s.SegmentationId, StringComparer.Ordinal);
        var redis = await scope.RedisPortsAsync();
        foreach (var p in await scope.TaggedPortsAsync())
        {
            Assert.True(redis.ContainsKey(p.Id) || !attached.ContainsKey(p.Id), $"subport {p.Id} of the trunk was not adopted by recovery");
        }

        using (var gc = new LeakedPortCollector(bed.Project.Admin, scope.Ownership, [driver], scope.Store, scope.References,
            new ManualTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(11)), Options.Create(new VifPoolOptions()),
            Options.Create(new LeakedPortCollectorOptions()), NullLogger<LeakedPortCollector>.Instance))
        {
            await gc.CollectAsync();
            await gc.CollectAsync();
        }

        redis = await scope.RedisPortsAsync(); // one pool per port, counters = sets
        var neutron = await scope.TaggedPortsAsync();
        attached = (await bed.Project.Admin.GetSubportsAsync(vm.TrunkId)).ToDictionary(s => s.PortId, s => s.SegmentationId, StringComparer.Ordinal);
        foreach (var p in neutron)
        {
            Assert.True(redis.ContainsKey(p.Id), $"tagged port {p.Id} leaked: in Neutron, in no Redis state");
        }

        var neutronIds = neutron.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, (_, state)) in redis)
        {
            Assert.True(neutronIds.Contains(id), $"port {id} is {state} in Redis but gone from Neutron");
            Assert.Equal(PortState.Available, state);
            Assert.True(attached.ContainsKey(id), $"port {id} is available but not a subport of the node's trunk: a pod could not use it");
        }

        // All or nothing: no port, or both available.
        Assert.True(redis.Count is 0 or 2, $"{redis.Count} available ports after {outcome.CrashedAt}: a population is all or nothing");
        Assert.Equal(attached.Count, redis.Count);

        // VLANs: discovery's sync reserves every id in use; an id reserved but unused can only be a
        // reservation of the dead process, younger than populate_lock_timeout (SyncAsync's promise) ...
        var inUse = attached.Values.ToHashSet();
        var reserved = (await vlans.ListAsync(vm.TrunkId)).ToHashSet();
        Assert.Subset(reserved, inUse);
        Assert.Subset(outcome.ReservedByTheDeadProcess.ToHashSet(), reserved.Except(inUse).ToHashSet());

        // ... and the first discovery after that window drops it: only ids of existing subports stay reserved.
        clock.Advance(Pools().PopulateLockTimeout + TimeSpan.FromSeconds(1));
        await driver.DiscoverAsync(default);
        Assert.Equal(inUse.Order(), (await vlans.ListAsync(vm.TrunkId)).Order());

        var again = await scope.NewRecovery(driver).RecoverAsync();
        Assert.Equal(0, again.TotalRepairs);
    }
}
