using Kuryr.Pools.State;
using Kuryr.Testing.TestBed;
using Kuryr.Testing.Time;
using StackExchange.Redis;

namespace Kuryr.Pools.Tests.State;

/// <summary>The Lua state machine against the real Redis of the test bed.</summary>
public sealed class RedisPoolStateStoreTests(RedisTestBed redis) : IClassFixture<RedisTestBed>, IAsyncLifetime
{
    private static readonly PoolKey Pool = new("node-1", "project-a", "network-a");
    private static readonly SecurityGroupSet SgA = new(["sg-a"]);
    private static readonly SecurityGroupSet SgB = new(["sg-b", "sg-c"]);

    private readonly ManualTimeProvider _time = new();
    private ConnectionMultiplexer _mux = null!;
    private RedisKeys _keys = null!;
    private RedisPoolStateStore _store = null!;

    public async Task InitializeAsync()
    {
        _mux = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        _keys = new RedisKeys(RedisTestBed.UniquePrefix("pools"));
        _store = new RedisPoolStateStore(_mux, _keys, _time);
    }

    public Task DisposeAsync()
    {
        _mux.Dispose();
        return Task.CompletedTask;
    }

    private static PooledPort[] Ports(string prefix, int n) =>
        [.. Enumerable.Range(0, n).Select(i => new PooledPort($"{prefix}-{i}", $"{{\"id\":\"{prefix}-{i}\"}}"))];

    [Fact]
    public async Task A_port_goes_available_assigned_recyclable_and_back_to_available()
    {
        Assert.Equal(2, await _store.AddAvailableAsync(Pool, SgA, Ports("p", 2)));

        var taken = await _store.TakeAsync(Pool, SgA, "ns/pod/uid/eth0");
        Assert.NotNull(taken);
        Assert.Equal("p-0", taken.PortId);
        Assert.Equal(TakeKind.Match, taken.Kind);
        Assert.Equal("{\"id\":\"p-0\"}", taken.VifJson);

        Assert.Equal(ReleaseOutcome.Released, await _store.ReleaseAsync(Pool, "p-0", "ns/pod/uid/eth0"));
        Assert.Equal(ReleaseOutcome.AlreadyReleased, await _store.ReleaseAsync(Pool, "p-0", "ns/pod/uid/eth0"));
        Assert.Equal(["p-0"], await _store.ListRecyclableAsync(Pool, _time.GetUtcNow()));

        Assert.Equal(RecycleOutcome.Available, await _store.RecycleAsync(Pool, "p-0", SgA, maxAvailable: 0));
        Assert.Equal(RecycleOutcome.Skipped, await _store.RecycleAsync(Pool, "p-0", SgA, maxAvailable: 0));

        var snap = await AssertConsistentAsync();
        Assert.Equal(["p-1", "p-0"], snap.AvailableByBucket[SgA.Key]);
        Assert.Equal(2, snap.Count(PortState.Available));
    }

    [Fact]
    public async Task A_retried_take_by_the_same_owner_returns_the_same_port()
    {
        await _store.AddAvailableAsync(Pool, SgA, Ports("p", 3));
        var first = await _store.TakeAsync(Pool, SgA, "owner-1");
        var again = await _store.TakeAsync(Pool, SgA, "owner-1");
        Assert.Equal(first!.PortId, again!.PortId);
        Assert.Equal(TakeKind.Existing, again.Kind);
        Assert.Equal(1, (await AssertConsistentAsync()).Count(PortState.Assigned));
    }

    [Fact]
    public async Task Without_a_matching_bucket_the_least_recently_used_bucket_is_swapped_and_untake_restores_it()
    {
        await _store.AddAvailableAsync(Pool, SgA, Ports("a", 1)); // older bucket
        await _store.AddAvailableAsync(Pool, SgB, Ports("b", 1)); // newer bucket

        var taken = await _store.TakeAsync(Pool, new SecurityGroupSet(["sg-z"]), "owner-1");
        Assert.Equal(TakeKind.Swap, taken!.Kind);
        Assert.Equal("a-0", taken.PortId);
        Assert.Equal(SgA, taken.SourceSecurityGroups);

        Assert.True(await _store.UntakeAsync(Pool, "a-0", "owner-1", SgA));
        Assert.False(await _store.UntakeAsync(Pool, "a-0", "owner-1", SgA));
        var snap = await AssertConsistentAsync();
        Assert.Equal(["a-0"], snap.AvailableByBucket[SgA.Key]);
    }

    [Fact]
    public async Task An_empty_pool_gives_nothing_and_a_release_by_another_owner_is_refused()
    {
        Assert.Null(await _store.TakeAsync(Pool, SgA, "owner-1"));
        await _store.AddAvailableAsync(Pool, SgA, Ports("p", 1));
        await _store.TakeAsync(Pool, SgA, "owner-1");
        Assert.Null(await _store.TakeAsync(Pool, SgA, "owner-2"));
        Assert.Equal(ReleaseOutcome.NotHeldByOwner, await _store.ReleaseAsync(Pool, "p-0", "owner-2"));
        Assert.Equal(ReleaseOutcome.UnknownPort, await _store.ReleaseAsync(Pool, "nope", "owner-1"));
        Assert.Equal(ReleaseOutcome.Released, await _store.ReleaseAsync(Pool, "p-0", null));
        await AssertConsistentAsync();
    }

    [Fact]
    public async Task Recycling_into_a_full_pool_marks_the_port_for_deletion_and_forget_removes_it()
    {
        await _store.AddAvailableAsync(Pool, SgA, Ports("p", 3));
        await _store.TakeAsync(Pool, SgA, "owner-1");
        await _store.ReleaseAsync(Pool, "p-0", "owner-1");

        Assert.Equal(RecycleOutcome.Deleting, await _store.RecycleAsync(Pool, "p-0", SgA, maxAvailable: 2));
        Assert.Null(await _store.ForgetAsync(Pool, "p-1")); // available: not forgotten without force
        Assert.Equal(PortState.Deleting, await _store.ForgetAsync(Pool, "p-0"));
        var snap = await AssertConsistentAsync();
        Assert.False(snap.States.ContainsKey("p-0"));
        Assert.Equal(2, snap.Count(PortState.Available));
    }

    [Fact]
    public async Task Creating_ports_become_available_and_begin_delete_takes_them_out_of_their_bucket()
    {
        await _store.AddCreatingAsync(Pool, SgA, Ports("p", 2));
        Assert.Null(await _store.TakeAsync(Pool, SgA, "owner-1"));
        Assert.Equal(2, await _store.AddAvailableAsync(Pool, SgA, Ports("p", 2)));
        Assert.Equal(0, await _store.AddAvailableAsync(Pool, SgA, Ports("p", 2)));

        Assert.Equal(PortState.Available, await _store.BeginDeleteAsync(Pool, "p-0", PortState.Available, PortState.Recyclable));
        Assert.Null(await _store.BeginDeleteAsync(Pool, "p-0", PortState.Available));
        var snap = await AssertConsistentAsync();
        Assert.Equal(["p-1"], snap.AvailableByBucket[SgA.Key]);
        Assert.Equal("p-1", (await _store.TakeAsync(Pool, SgA, "owner-1"))!.PortId);
    }

    [Fact]
    public async Task Two_controllers_taking_and_releasing_at_once_never_hand_a_port_to_two_owners()
    {
        using var second = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var stores = new[] { _store, new RedisPoolStateStore(second, _keys, _time) };
        const int ports = 60;
        await _store.AddAvailableAsync(Pool, SgA, Ports("p", ports / 2));
        await _store.AddAvailableAsync(Pool, SgB, Ports("q", ports / 2));

        var owners = Enumerable.Range(0, ports * 2).Select(i => $"owner-{i}").ToArray();
        var results = await Task.WhenAll(owners.Select((o, i) => Task.Run(async () =>
        {
            var sgs = i % 3 == 0 ? SgB : SgA;
            var t = await stores[i % 2].TakeAsync(Pool, sgs, o);
            if (t is not null && i % 4 == 0)
            {
                // some owners give their port back right away; another owner may then get it
                Assert.Equal(ReleaseOutcome.Released, await stores[(i + 1) % 2].ReleaseAsync(Pool, t.PortId, o));
                Assert.Equal(RecycleOutcome.Available, await stores[i % 2].RecycleAsync(Pool, t.PortId, sgs, 0));
                return (Owner: o, Port: (string?)null);
            }

            return (Owner: o, Port: t?.PortId);
        })));

        var held = results.Where(r => r.Port is not null).ToList();
        Assert.Equal(held.Count, held.Select(r => r.Port).Distinct().Count());
        var snap = await AssertConsistentAsync();
        foreach (var (owner, port) in held)
        {
            Assert.Equal(owner, snap.Owners[port!]);
        }

        Assert.Equal(ports, snap.States.Count);
        Assert.Equal(held.Count, snap.Count(PortState.Assigned));
    }

    [Fact]
    public async Task The_populate_lock_admits_one_owner_and_a_stale_owner_cannot_release_the_next_one()
    {
        var locks = new RedisPopulateLockService(_mux, _keys);
        var first = await locks.TryAcquireAsync(Pool, TimeSpan.FromSeconds(30));
        Assert.NotNull(first);
        Assert.Null(await locks.TryAcquireAsync(Pool, TimeSpan.FromSeconds(30)));

        // The first owner's TTL runs out: let Redis expire the key now instead of waiting on a short
        // TTL, which a loaded machine could overrun before the "still held" check above.
        var lockKey = _keys.For(Pool).PopulateLock;
        Assert.True(await _mux.GetDatabase().KeyExpireAsync(lockKey, TimeSpan.FromMilliseconds(1)));
        IPopulateLock? second = null;
        while (second is null)
        {
            await Task.Delay(5);
            second = await locks.TryAcquireAsync(Pool, TimeSpan.FromSeconds(30));
        }

        Assert.False(await first.ExtendAsync(TimeSpan.FromSeconds(30)));
        await first.DisposeAsync(); // stale owner: must not release the second owner's lock
        Assert.Null(await locks.TryAcquireAsync(Pool, TimeSpan.FromSeconds(30)));
        Assert.True(await second.ExtendAsync(TimeSpan.FromSeconds(30)));
        await second.DisposeAsync();
        await using var third = await locks.TryAcquireAsync(Pool, TimeSpan.FromSeconds(30));
        Assert.NotNull(third);
    }

    /// <summary>The counters equal the sets; every available port sits in exactly one bucket list;
    /// owners and owned agree.</summary>
    private async Task<PoolSnapshot> AssertConsistentAsync()
    {
        var snap = await _store.ReadAsync(Pool);
        foreach (var state in Enum.GetValues<PortState>())
        {
            Assert.Equal(snap.Count(state), snap.Counts.GetValueOrDefault(state));
        }

        var listed = snap.AvailableByBucket.Values.SelectMany(v => v).ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(
            snap.States.Where(s => s.Value == PortState.Available).Select(s => s.Key).Order(),
            listed.Order());
        Assert.Equal(
            snap.States.Where(s => s.Value == PortState.Assigned).Select(s => s.Key).Order(),
            snap.Owners.Keys.Order());
        return snap;
    }
}
