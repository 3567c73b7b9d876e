using StackExchange.Redis;

namespace Kuryr.Pools.State;

/// <summary>
/// Facts about a pool kept next to its ports (HASH <c>kuryr:pool:{P}:meta</c>): for now the pool
/// driver that populated or adopted it, so that operations without a request (free, recovery's
/// cleanup) use the right driver under <c>multi_pool</c> instead of guessing from the host.
/// </summary>
public interface IPoolMetadata
{
    /// <summary>Records <paramref name="driver"/> (<c>neutron</c>, <c>nested</c>, <c>noop</c>) as the pool's driver.</summary>
    Task RecordDriverAsync(PoolKey pool, string driver);

    /// <summary>The recorded driver, or null for a pool recorded before drivers were (or never populated).</summary>
    Task<string?> GetDriverAsync(PoolKey pool);
}

/// <inheritdoc cref="IPoolMetadata"/>
internal sealed class RedisPoolMetadata(IConnectionMultiplexer redis, RedisKeys keys) : IPoolMetadata
{
    /// <summary>Field of the meta HASH naming the pool driver.</summary>
    public const string DriverField = "driver";

    private IDatabase Db => redis.GetDatabase(keys.Database);

    public async Task RecordDriverAsync(PoolKey pool, string driver)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentException.ThrowIfNullOrWhiteSpace(driver);
        await Db.HashSetAsync(keys.For(pool).Meta, DriverField, driver).ConfigureAwait(false);
    }

    public async Task<string?> GetDriverAsync(PoolKey pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var value = await Db.HashGetAsync(keys.For(pool).Meta, DriverField).ConfigureAwait(false);
        return value.IsNullOrEmpty ? null : (string?)value;
    }
}
