using Kuryr.Pools.State;
using Kuryr.Testing.TestBed;
using Kuryr.Testing.Time;
using StackExchange.Redis;

namespace Kuryr.Pools.Tests.State;

/// <summary>The per-trunk VLAN reservations (Lua) against the real Redis of the test bed.</summary>
public sealed class VlanReservationsTests(RedisTestBed redis) : IClassFixture<RedisTestBed>, IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private readonly string _trunk = "trunk-" + Guid.NewGuid().ToString("N")[..8];
    private ConnectionMultiplexer _mux = null!;
    private RedisKeys _keys = null!;
    private RedisVlanReservations _vlans = null!;

    public async Task InitializeAsync()
    {
        _mux = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        _keys = new RedisKeys(RedisTestBed.UniquePrefix("vlans"));
        _vlans = new RedisVlanReservations(_mux, _keys, _time);
    }

    public Task DisposeAsync()
    {
        _mux.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Reserved_ids_are_distinct_in_range_outside_the_ids_in_use_and_listed()
    {
        int[] inUse = [.. Enumerable.Range(1, 100)];
        var got = await _vlans.ReserveAsync(_trunk, inUse, 30);

        Assert.Equal(30, got.Count);
        Assert.Equal(30, got.Distinct().Count());
        Assert.All(got, v => Assert.InRange(v, 101, VlanIds.Max));
        Assert.Equal(got.Order(), await _vlans.ListAsync(_trunk));

        var more = await _vlans.ReserveAsync(_trunk, inUse, 30);
        Assert.Empty(more.Intersect(got));
        Assert.Equal(60, (await _vlans.ListAsync(_trunk)).Count);
    }

    [Fact]
    public async Task The_key_is_hash_tagged_on_the_trunk_id()
    {
        await _vlans.ReserveAsync(_trunk, [], 1);
        var key = $"{_keys.Prefix}:trunk:{{{_trunk}}}:vlans";
        Assert.Equal(1, await _mux.GetDatabase().SortedSetLengthAsync(key));
    }

    [Fact]
    public async Task When_fewer_ids_are_free_fewer_are_reserved_and_then_none()
    {
        int[] inUse = [.. Enumerable.Range(1, VlanIds.Max - 4)];
        var got = await _vlans.ReserveAsync(_trunk, inUse, 10);
        Assert.Equal([4091, 4092, 4093, 4094], got.Order());
        Assert.Empty(await _vlans.ReserveAsync(_trunk, inUse, 10));
    }

    [Fact]
    public async Task Release_is_idempotent_and_makes_the_ids_reservable_again()
    {
        int[] inUse = [.. Enumerable.Range(1, VlanIds.Max - 2)];
        var got = await _vlans.ReserveAsync(_trunk, inUse, 2);
        Assert.Equal(2, got.Count);
        Assert.Equal(2, await _vlans.ReleaseAsync(_trunk, got));
        Assert.Equal(0, await _vlans.ReleaseAsync(_trunk, got));
        Assert.Empty(await _vlans.ListAsync(_trunk));
        Assert.Equal(got.Order(), (await _vlans.ReserveAsync(_trunk, inUse, 5)).Order());
    }

    [Fact]
    public async Task Two_replicas_reserving_concurrently_on_one_trunk_never_get_the_same_id()
    {
        using var other = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var second = new RedisVlanReservations(other, _keys, _time);
        // Only 400 ids free: 2 x 40 calls of 10 exhaust them, so collisions would be likely.
        int[] inUse = [.. Enumerable.Range(1, VlanIds.Max - 400)];
        var calls = Enumerable.Range(0, 80)
            .Select(i => (i % 2 == 0 ? _vlans : second).ReserveAsync(_trunk, inUse, 10));
        var results = await Task.WhenAll(calls);
        var all = results.SelectMany(r => r).ToList();

        Assert.Equal(400, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(all.Order(), await second.ListAsync(_trunk));
    }

    [Fact]
    public async Task Sync_drops_stale_unused_reservations_keeps_young_ones_and_reserves_the_ids_in_use()
    {
        int[] allButThree = [.. Enumerable.Range(1, VlanIds.Max).Except([10, 20, 30])];
        var stale = await _vlans.ReserveAsync(_trunk, allButThree, 3); // 10, 20, 30 at t0
        Assert.Equal([10, 20, 30], stale.Order());

        _time.Advance(TimeSpan.FromMinutes(10));
        int[] allButOne = [.. Enumerable.Range(1, VlanIds.Max).Except([40])];
        Assert.Equal([40], await _vlans.ReserveAsync(_trunk, allButOne, 1)); // young

        // 20 got attached (in use); 10 and 30 were never attached (their creator crashed).
        var dropped = await _vlans.SyncAsync(_trunk, [20, 50], staleBefore: _time.GetUtcNow() - TimeSpan.FromMinutes(5));

        Assert.Equal(2, dropped);
        Assert.Equal([20, 40, 50], await _vlans.ListAsync(_trunk));
    }

    [Fact]
    public async Task Bad_trunk_ids_and_vlan_ids_are_refused_naming_them()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _vlans.ReserveAsync("a{b}", [], 1));
        Assert.Contains("trunk id", e.Message, StringComparison.Ordinal);
        var r = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _vlans.ReleaseAsync(_trunk, [4095]));
        Assert.Contains("VLAN id", r.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _vlans.ReserveAsync(_trunk, [], -1));
    }
}
