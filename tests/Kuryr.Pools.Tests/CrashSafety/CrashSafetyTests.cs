using Kuryr.Config.Options;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Pools.Manager;
using Kuryr.Pools.State;
using Kuryr.Pools.Tests.Recovery;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Xunit.Abstractions;

namespace Kuryr.Pools.Tests.CrashSafety;

/// <summary>
/// The issue's core test. For populate, take (with an SG swap), release and recycle (above
/// ports_pool_max, so it deletes), the pool manager runs over the REAL Redis store, population lock
/// and neutron driver, and its process "dies" before EVERY step in turn (the steps are recorded from
/// an uninterrupted run first, so a new step in the manager is covered automatically). Then a NEW
/// manager and a NEW recovery (the restarted process) reconcile, and every tagged Neutron port of
/// the test must be in exactly one state in Redis (available in the bucket of its real SGs,
/// assigned to a KuryrPort that references it, or recyclable) or deleted from Neutron; nothing in
/// Redis is missing from Neutron; no creating/deleting entry is left; counters equal the sets. A
/// recycle pass of the new manager and a second recovery then keep all of that true.
/// </summary>
[Collection(NeutronTestProject.Collection)]
public sealed class CrashSafetyTests(RecoveryBed bed, ITestOutputHelper output) : IClassFixture<RecoveryBed>
{
    private const string Owner1 = "crash-ns/pod-1/uid-1/eth0";

    private static VifPoolOptions Pools(int max = 0) => new()
    {
        PortsPoolMin = 0, // no background refill: only the operation's own steps
        PortsPoolBatch = 2,
        PortsPoolMax = max,
        PopulateLockTimeoutSeconds = 30,
    };

    /// <summary>A manager as a controller composes it; with a plan, over crashing wrappers of the real parts.</summary>
    private static VifPoolManager NewManager(RecoveryBed.Scope scope, VifPoolOptions options, CrashPlan? plan) =>
        plan is null
            ? scope.NewManager(options)
            : scope.NewManager(options, new CrashingDriver(scope.Driver, plan), new CrashingStore(scope.Store, plan), new CrashingLocks(scope.Locks, plan));

    private async Task<SecurityGroupSet> NewSecurityGroupAsync(string name) =>
        new([(await bed.Project.Admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = name, ProjectId = bed.Project.ProjectId })).Id]);

    private PodVifRequest Request(SecurityGroupSet sgs) =>
        new("crash-ns", "pod-1", "uid-1", bed.Hosts[0], null, "eth0", bed.Project.ProjectId, bed.Subnet.Id, bed.Network.Id, sgs);

    private sealed record Case(string Name, VifPoolOptions Options, Func<RecoveryBed.Scope, Task<Func<VifPoolManager, Task>>> Setup);

    /// <summary>Records the steps of <paramref name="c"/>, then crashes before each one in turn (and
    /// after the last), restarting and checking after each. Returns the recorded steps.</summary>
    private async Task<IReadOnlyList<string>> CrashEverywhereAsync(Case c, Func<Snapshot, Task>? afterRecovery = null)
    {
        IReadOnlyList<string> steps;
        await using (var scope = bed.NewScope(c.Name + "-record"))
        {
            var operation = await c.Setup(scope);
            var plan = new CrashPlan();
            await using (var manager = NewManager(scope, c.Options, plan))
            {
                await operation(manager);
                await manager.RefillsAsync();
            }

            steps = plan.Recorded;
            output.WriteLine($"{c.Name}: {string.Join(" → ", steps)}");
            await RestartAndCheckAsync(scope, c, afterRecovery);
        }

        foreach (var crashBefore in steps.Append("(end)"))
        {
            await using var scope = bed.NewScope(c.Name + "-crash");
            var operation = await c.Setup(scope);
            var plan = new CrashPlan { CrashBefore = crashBefore };
            var manager = NewManager(scope, c.Options, plan);
            try
            {
                await operation(manager);
            }
            catch (SimulatedCrashException)
            {
            }

            await manager.RefillsAsync();
            plan.Kill();
            Assert.Equal(crashBefore, plan.CrashedAt);
            try
            {
                await manager.DisposeAsync();
            }
            catch (SimulatedCrashException)
            {
            }

            try
            {
                await RestartAndCheckAsync(scope, c, afterRecovery);
            }
            catch (Exception e) when (e is not SimulatedCrashException)
            {
                throw new Xunit.Sdk.XunitException($"{c.Name}, crashed before {crashBefore}: {e.Message}");
            }
        }

        return steps;
    }

    /// <summary>The restarted process: recovery, the invariants, a recycle pass, the invariants again, and a
    /// second recovery that finds nothing to repair.</summary>
    private static async Task RestartAndCheckAsync(RecoveryBed.Scope scope, Case c, Func<Snapshot, Task>? afterRecovery)
    {
        await scope.NewRecovery().RecoverAsync();
        var afterRecoveryState = await CheckInvariantsAsync(scope, inBuckets: false);
        if (afterRecovery is not null)
        {
            await afterRecovery(afterRecoveryState);
        }

        await using (var restarted = NewManager(scope, c.Options, plan: null))
        {
            await restarted.RecycleOnceAsync(default);
        }

        var afterRecycle = await CheckInvariantsAsync(scope, inBuckets: true);
        Assert.Equal(0, afterRecycle.Count(PortState.Recyclable));
        var again = await scope.NewRecovery().RecoverAsync();
        Assert.Equal(0, again.TotalRepairs);
    }

    internal sealed record Snapshot(IReadOnlyDictionary<string, (PoolKey Pool, PortState State)> Redis, IReadOnlyList<Kuryr.Neutron.Ports.Port> Neutron)
    {
        public int Count(PortState state) => Redis.Values.Count(v => v.State == state);
    }

    /// <summary>Every tagged port in exactly one state; nothing in Redis missing from Neutron; counters = sets;
    /// buckets = available; assigned only to a KuryrPort that references the port; with
    /// <paramref name="inBuckets"/>, every available port sits in the bucket of its real SGs.</summary>
    private static async Task<Snapshot> CheckInvariantsAsync(RecoveryBed.Scope scope, bool inBuckets)
    {
        var redis = await scope.RedisPortsAsync(); // asserts one pool per port and counters = sets
        var neutron = await scope.TaggedPortsAsync();
        var neutronById = neutron.ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var port in neutron)
        {
            Assert.True(redis.ContainsKey(port.Id), $"tagged port {port.Id} leaked: in Neutron, in no Redis state");
        }

        var references = await scope.References.ListAsync();
        foreach (var (id, (pool, state)) in redis)
        {
            Assert.True(neutronById.ContainsKey(id), $"port {id} is {state} in Redis but gone from Neutron");
            Assert.True(state is PortState.Available or PortState.Assigned or PortState.Recyclable, $"port {id} left {state}");
            if (state == PortState.Assigned)
            {
                Assert.True(references.IsReferenced(id), $"port {id} assigned but no KuryrPort references it");
            }
        }

        foreach (var pool in await scope.Store.ListPoolsAsync())
        {
            var s = await scope.Store.ReadAsync(pool);
            var inAnyBucket = s.AvailableByBucket.SelectMany(b => b.Value).ToList();
            Assert.Equal(inAnyBucket.Count, inAnyBucket.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(s.States.Where(x => x.Value == PortState.Available).Select(x => x.Key).Order(StringComparer.Ordinal),
                inAnyBucket.Order(StringComparer.Ordinal));
            if (inBuckets)
            {
                foreach (var (bucket, ports) in s.AvailableByBucket)
                {
                    Assert.All(ports, id => Assert.Equal(bucket, new SecurityGroupSet(neutronById[id].SecurityGroups).Key));
                }
            }
        }

        return new Snapshot(redis, neutron);
    }

    [Fact]
    public async Task Populate_interrupted_before_any_step_leaves_every_port_in_one_state()
    {
        SecurityGroupSet sg = await NewSecurityGroupAsync("crash-pop");
        var steps = await CrashEverywhereAsync(new Case("populate", Pools(), scope => Task.FromResult<Func<VifPoolManager, Task>>(
            m => m.PopulateAsync(scope.Target(0, sg), 2))),
            s =>
            {
                // All or nothing: either no port was created, or both are available (adopted if Redis never heard of them).
                Assert.True(s.Neutron.Count is 0 or 2, $"{s.Neutron.Count} ports: a population is all or nothing");
                Assert.Equal(s.Neutron.Count, s.Count(PortState.Available));
                return Task.CompletedTask;
            });

        Assert.Equal<string>(["lock.Acquire#1", "store.Read#1", "neutron.CreatePorts#1", "store.AddAvailable#1", "lock.Release#1"], steps);
    }

    [Fact]
    public async Task Take_with_an_SG_swap_interrupted_before_any_step_leaves_every_port_in_one_state()
    {
        SecurityGroupSet sgA = await NewSecurityGroupAsync("crash-take-a");
        SecurityGroupSet sgB = await NewSecurityGroupAsync("crash-take-b");
        var steps = await CrashEverywhereAsync(new Case("take", Pools(), async scope =>
        {
            await scope.PopulateAsync(2, 0, sgA);
            return m => m.RequestVifAsync(Request(sgB));
        }),
            s =>
            {
                // No KuryrPort was written: the port taken (if any) is released, never lost, never handed out twice.
                Assert.Equal(2, s.Neutron.Count);
                Assert.Equal(0, s.Count(PortState.Assigned));
                return Task.CompletedTask;
            });

        // The last step is the background refill's look at the pool (ports_pool_min 0: it stops there).
        Assert.Equal<string>(["store.Take#1", "neutron.UpdateSecurityGroups#1", "store.Read#1"], steps);
    }

    [Fact]
    public async Task Take_whose_pod_got_its_KuryrPort_stays_assigned_across_a_restart()
    {
        SecurityGroupSet sgA = await NewSecurityGroupAsync("crash-kp");
        await using var scope = bed.NewScope("take-kp");
        await scope.PopulateAsync(2, 0, sgA);
        VifAssignment taken;
        await using (var manager = NewManager(scope, Pools(), plan: null))
        {
            taken = await manager.RequestVifAsync(Request(sgA) with { Namespace = bed.Namespace });
        }

        await bed.CreateKuryrPortAsync("pod-1", "uid-1", new Dictionary<string, string> { ["eth0"] = taken.VifJson });
        try
        {
            await scope.WipeRedisAsync(); // the restart finds Redis empty as well
            await scope.NewRecovery().RecoverAsync();

            var s = await CheckInvariantsAsync(scope, inBuckets: true);
            Assert.Equal(PortState.Assigned, s.Redis[taken.PortId].State);
            Assert.Equal(1, s.Count(PortState.Assigned));
            Assert.Equal(1, s.Count(PortState.Available));
        }
        finally
        {
            await bed.DeleteKuryrPortAsync("pod-1");
        }
    }

    [Fact]
    public async Task Release_interrupted_before_any_step_leaves_the_port_recyclable()
    {
        SecurityGroupSet sgA = await NewSecurityGroupAsync("crash-rel");
        string? portId = null;
        var steps = await CrashEverywhereAsync(new Case("release", Pools(), async scope =>
        {
            await scope.PopulateAsync(2, 0, sgA);
            var taken = await scope.Store.TakeAsync(scope.Pool(), sgA, Owner1);
            portId = taken!.PortId;
            return m => m.ReleaseVifAsync(new VifRelease(scope.Pool(), KuryrDrivers.NeutronPool, taken.PortId, Owner1));
        }),
            s =>
            {
                Assert.Equal(PortState.Recyclable, s.Redis[portId!].State);
                Assert.Equal((1, 1), (s.Count(PortState.Recyclable), s.Count(PortState.Available)));
                return Task.CompletedTask;
            });

        Assert.Equal<string>(["store.Release#1"], steps);
    }

    [Fact]
    public async Task Recycle_above_max_interrupted_before_any_step_leaves_every_port_in_one_state()
    {
        SecurityGroupSet sgA = await NewSecurityGroupAsync("crash-rec");
        var steps = await CrashEverywhereAsync(new Case("recycle", Pools(max: 1), async scope =>
        {
            await scope.PopulateAsync(3, 0, sgA);
            for (var i = 0; i < 3; i++)
            {
                var owner = $"crash-ns/pod-{i}/uid-{i}/eth0";
                var taken = await scope.Store.TakeAsync(scope.Pool(), sgA, owner);
                await scope.Store.ReleaseAsync(scope.Pool(), taken!.PortId, owner);
            }

            return m => m.RecycleOnceAsync(default);
        }),
            s =>
            {
                Assert.Equal(0, s.Count(PortState.Assigned));
                Assert.True(s.Count(PortState.Available) <= 1, "never more available than ports_pool_max");
                return Task.CompletedTask;
            });

        Assert.Equal<string>(
        [
            "store.ListPools#1", "store.ListRecyclable#1", "neutron.Discover#1",
            "store.Recycle#1",
            "store.Recycle#2", "neutron.DeletePorts#1", "store.Forget#1",
            "store.Recycle#3", "neutron.DeletePorts#2", "store.Forget#2",
        ], steps);
    }

    [Fact]
    public async Task Bulk_create_whose_answer_is_lost_on_the_wire_is_adopted_after_a_restart()
    {
        SecurityGroupSet sg = await NewSecurityGroupAsync("crash-drop");
        await using var scope = bed.NewScope("drop");
        await using var proxy = await FaultProxy.StartAsync(bed.Project.Bed.HeadersEndpoint);
        var driver = scope.NewDriver(bed.Project.CreateClient(proxy.BaseAddress, ["admin"]));
        // Neutron creates the ports; the connection drops before the answer reaches the controller.
        var drop = proxy.InjectFault(r => r.Method == "POST" && r.Path.EndsWith("/ports", StringComparison.Ordinal), ProxyFault.Drop(afterForwarding: true));
        await using (var manager = scope.NewManager(Pools(), driver: driver))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => manager.PopulateAsync(scope.Target(0, sg), 3));
        }

        Assert.Equal(1, drop.Hits);
        var created = await scope.TaggedPortsAsync();
        Assert.Equal(3, created.Count); // landed, tagged, unknown to Redis
        Assert.Empty(await scope.RedisPortsAsync());

        await scope.NewRecovery().RecoverAsync();

        var s = await CheckInvariantsAsync(scope, inBuckets: true);
        Assert.Equal(3, s.Count(PortState.Available));
        Assert.Equal(created.Select(p => p.Id).Order(), s.Redis.Keys.Order());
    }
}
