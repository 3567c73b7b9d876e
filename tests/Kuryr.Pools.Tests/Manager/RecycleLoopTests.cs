using Kuryr.Config.Options;
using Kuryr.Pools.State;
using Kuryr.Pools.Tests.Recovery;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Time;

namespace Kuryr.Pools.Tests.Manager;

/// <summary>
/// <see cref="Kuryr.Pools.Manager.VifPoolManager.RunRecycleLoopAsync"/> driven by a
/// <see cref="ManualTimeProvider"/> (the manager's timer and the store's release times), on the
/// REAL Redis and neutron-server.
/// </summary>
[Collection(NeutronTestProject.Collection)]
public sealed class RecycleLoopTests(RecoveryBed bed) : IClassFixture<RecoveryBed>
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Each_update_frequency_runs_exactly_one_pass_nothing_runs_before_and_cancellation_stops_the_loop()
    {
        await using var scope = bed.NewScope("loop");
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var store = new RedisPoolStateStore(bed.Redis, scope.Keys, time);
        var options = new VifPoolOptions { PortsPoolMin = 0, PortsPoolBatch = 2, PortsPoolUpdateFrequencySeconds = 20 };
        await using var manager = scope.NewManager(options, store: store, time: time);
        var passes = new List<(int Recycled, int Deleted)?>();
        using var passed = new SemaphoreSlim(0);
        manager.RecyclePassFinished = r =>
        {
            lock (passes)
            {
                passes.Add(r);
            }

            passed.Release();
        };
        int Passes()
        {
            lock (passes)
            {
                return passes.Count;
            }
        }

        var a = await manager.RequestVifAsync(Request("a"));
        var b = await manager.RequestVifAsync(Request("b"));
        await manager.ReleaseVifAsync(new VifRelease(a.Pool, a.Driver, a.PortId, null));
        using var stop = new CancellationTokenSource();
        var loop = manager.RunRecycleLoopAsync(stop.Token);

        // Just before the first tick: nothing.
        time.Advance(TimeSpan.FromSeconds(20) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, Passes());
        Assert.Equal(PortState.Recyclable, (await store.ReadAsync(a.Pool)).States[a.PortId]);

        // The tick: exactly one pass, which returns the released port.
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await passed.WaitAsync(HangGuard));
        Assert.Equal(1, Passes());
        Assert.Equal((1, 0), passes[0]);
        Assert.Equal(PortState.Available, (await store.ReadAsync(a.Pool)).States[a.PortId]);

        // A port released after the pass waits for the next tick.
        await manager.ReleaseVifAsync(new VifRelease(b.Pool, b.Driver, b.PortId, null));
        time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(1, Passes());
        Assert.Equal(PortState.Recyclable, (await store.ReadAsync(b.Pool)).States[b.PortId]);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await passed.WaitAsync(HangGuard));
        Assert.Equal(PortState.Available, (await store.ReadAsync(b.Pool)).States[b.PortId]);
        Assert.Equal(2, Passes());
        Assert.Equal((1, 0), passes[1]);

        // Cancellation ends the loop quietly; later ticks run nothing.
        await stop.CancelAsync();
        await loop.WaitAsync(HangGuard);
        Assert.True(loop.IsCompletedSuccessfully);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(2, Passes());
    }

    private PodVifRequest Request(string pod) =>
        new(bed.Namespace, pod, Guid.NewGuid().ToString(), bed.Hosts[0], null, "eth0", bed.Project.ProjectId, bed.Subnet.Id, bed.Network.Id, SecurityGroupSet.Default);
}
