using StackExchange.Redis;

namespace Kuryr.Pools.State;

/// <inheritdoc cref="IPopulateLockService"/>
internal sealed class RedisPopulateLockService(IConnectionMultiplexer redis, RedisKeys keys) : IPopulateLockService
{
    private const string ReleaseScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    private const string ExtendScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

    public async Task<IPopulateLock?> TryAcquireAsync(PoolKey pool, TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var token = Guid.NewGuid().ToString("N");
        var key = keys.For(pool).PopulateLock;
        var db = redis.GetDatabase(keys.Database);
        return await db.StringSetAsync(key, token, ttl, When.NotExists).ConfigureAwait(false)
            ? new Held(db, key, pool, token)
            : null;
    }

    private sealed class Held(IDatabase db, RedisKey key, PoolKey pool, string token) : IPopulateLock
    {
        public PoolKey Pool => pool;

        public string Token => token;

        public async Task<bool> ExtendAsync(TimeSpan ttl) =>
            (int)await db.ScriptEvaluateAsync(ExtendScript, [key], [token, (long)ttl.TotalMilliseconds]).ConfigureAwait(false) == 1;

        public async ValueTask DisposeAsync() =>
            await db.ScriptEvaluateAsync(ReleaseScript, [key], [token]).ConfigureAwait(false);
    }
}
