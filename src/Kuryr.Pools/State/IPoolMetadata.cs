using StackExchange.Redis;

namespace Kuryr.Pools.State;

/// <summary>
/// Facts about a pool kept next to its ports (HASH <c>kuryr:pool:{P}:meta</c>): the pool driver that
/// populated or adopted it, so that operations without a request (free, recovery's cleanup) use the
/// right driver under <c>multi_pool</c> instead of guessing from the host; and when the last
/// population finished and how many ports it created (shown by <c>kuryr-poolctl</c>).
/// </summary>
public interface IPoolMetadata
{
    /// <summary>Records <paramref name="driver"/> (<c>neutron</c>, <c>nested</c>, <c>noop</c>) as the pool's driver.</summary>
    Task RecordDriverAsync(PoolKey pool, string driver);

    /// <summary>The recorded driver, or null for a pool recorded before drivers were (or never populated).</summary>
    Task<string?> GetDriverAsync(PoolKey pool);

    /// <summary>Records that a population of <paramref name="pool"/> finished at <paramref name="at"/>
    /// and created <paramref name="created"/> ports (fields <c>lastPopulate</c>, Unix ms, and
    /// <c>lastPopulateCount</c>, written together).</summary>
    Task RecordPopulateAsync(PoolKey pool, DateTimeOffset at, int created);

    /// <summary>The last recorded population, or null when none was recorded (never populated by
    /// this version, or only adopted by recovery).</summary>
    Task<LastPopulate?> GetLastPopulateAsync(PoolKey pool);
}

/// <summary>When the last population of a pool finished and how many ports it created.</summary>
public sealed record LastPopulate(DateTimeOffset At, int Created);

/// <inheritdoc cref="IPoolMetadata"/>
internal sealed class RedisPoolMetadata(IConnectionMultiplexer redis, RedisKeys keys) : IPoolMetadata
{
    /// <summary>Field of the meta HASH naming the pool driver.</summary>
    public const string DriverField = "driver";

    /// <summary>Field of the meta HASH: end of the last population, Unix milliseconds.</summary>
    public const string LastPopulateField = "lastPopulate";

    /// <summary>Field of the meta HASH: ports created by the last population.</summary>
    public const string LastPopulateCountField = "lastPopulateCount";

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

    public async Task RecordPopulateAsync(PoolKey pool, DateTimeOffset at, int created)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegative(created);
        await Db.HashSetAsync(keys.For(pool).Meta,
        [
            new HashEntry(LastPopulateField, at.ToUnixTimeMilliseconds()),
            new HashEntry(LastPopulateCountField, created),
        ]).ConfigureAwait(false);
    }

    public async Task<LastPopulate?> GetLastPopulateAsync(PoolKey pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var values = await Db.HashGetAsync(keys.For(pool).Meta, [LastPopulateField, LastPopulateCountField]).ConfigureAwait(false);
        if (values[0].IsNullOrEmpty || !values[0].TryParse(out long ms))
        {
            return null;
        }

        var created = !values[1].IsNullOrEmpty && values[1].TryParse(out int n) ? n : 0;
        return new LastPopulate(DateTimeOffset.FromUnixTimeMilliseconds(ms), created);
    }
}
