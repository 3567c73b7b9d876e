using Kuryr.Pools.State;
using Kuryr.Testing.TestBed;
using Kuryr.Testing.Time;
using StackExchange.Redis;

namespace Kuryr.Pools.Tests.State;

/// <summary>The per-pool meta HASH against the real Redis of the test bed.</summary>
public sealed class RedisPoolMetadataTests(RedisTestBed redis) : IClassFixture<RedisTestBed>, IAsyncLifetime
{
    private static readonly PoolKey Pool = new("10.0.0.7", "project-a", "network-a");

    private ConnectionMultiplexer _mux = null!;
    private RedisKeys _keys = null!;
    private RedisPoolMetadata _metadata = null!;
    private RedisPoolStateStore _store = null!;

    public async Task InitializeAsync()
    {
        _mux = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        _keys = new RedisKeys(RedisTestBed.UniquePrefix("meta"));
        _metadata = new RedisPoolMetadata(_mux, _keys);
        _store = new RedisPoolStateStore(_mux, _keys, new ManualTimeProvider());
    }

    public Task DisposeAsync()
    {
        _mux.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_driver_is_recorded_in_the_pools_meta_hash_and_read_back()
    {
        Assert.Null(await _metadata.GetDriverAsync(Pool));

        await _metadata.RecordDriverAsync(Pool, "neutron");

        Assert.Equal("neutron", await _metadata.GetDriverAsync(Pool));
        Assert.Equal("neutron", (string?)await _mux.GetDatabase().HashGetAsync(_keys.For(Pool).Meta, "driver"));
        Assert.Contains("{10.0.0.7/project-a/network-a}", _keys.For(Pool).Meta.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unregistering_an_empty_pool_drops_its_meta_and_a_pool_with_ports_keeps_it()
    {
        var other = new PoolKey("node-9", "project-a", "network-a");
        await _metadata.RecordDriverAsync(Pool, "nested");
        await _metadata.RecordDriverAsync(other, "neutron");
        await _store.AddAvailableAsync(other, new SecurityGroupSet(["sg"]), [new PooledPort("p-1", "{}")]);

        Assert.True(await _store.UnregisterIfEmptyAsync(Pool));
        Assert.False(await _store.UnregisterIfEmptyAsync(other));

        Assert.Null(await _metadata.GetDriverAsync(Pool));
        Assert.False(await _mux.GetDatabase().KeyExistsAsync(_keys.For(Pool).Meta));
        Assert.Equal("neutron", await _metadata.GetDriverAsync(other));
    }

    [Fact]
    public async Task An_empty_driver_name_is_refused()
    {
        var e = await Assert.ThrowsAnyAsync<ArgumentException>(() => _metadata.RecordDriverAsync(Pool, " "));

        Assert.Equal("driver", e.ParamName);
    }

    [Fact]
    public async Task The_last_population_is_recorded_as_unix_ms_and_count_and_read_back()
    {
        Assert.Null(await _metadata.GetLastPopulateAsync(Pool));
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 891, TimeSpan.Zero);

        await _metadata.RecordPopulateAsync(Pool, at, 4);

        Assert.Equal(new LastPopulate(at, 4), await _metadata.GetLastPopulateAsync(Pool));
        var db = _mux.GetDatabase();
        Assert.Equal(at.ToUnixTimeMilliseconds(), (long)await db.HashGetAsync(_keys.For(Pool).Meta, "lastPopulate"));
        Assert.Equal(4, (int)await db.HashGetAsync(_keys.For(Pool).Meta, "lastPopulateCount"));
        await _metadata.RecordPopulateAsync(Pool, at.AddSeconds(1), 0);
        Assert.Equal(new LastPopulate(at.AddSeconds(1), 0), await _metadata.GetLastPopulateAsync(Pool));
    }
}
