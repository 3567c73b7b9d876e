namespace Kuryr.Pools.State;

/// <summary>
/// One population per pool at a time across every controller replica: a Redis key holding a
/// random owner token with a TTL (Kuryr's 420 s). Only the holder's token can extend or release
/// it, so a stale owner whose lease ran out cannot release a newer owner's lock.
/// </summary>
public interface IPopulateLockService
{
    /// <summary>Tries once; null when another owner holds the lock.</summary>
    Task<IPopulateLock?> TryAcquireAsync(PoolKey pool, TimeSpan ttl);
}

/// <summary>A held population lock. Disposing releases it (only if still ours).</summary>
public interface IPopulateLock : IAsyncDisposable
{
    PoolKey Pool { get; }

    string Token { get; }

    /// <summary>Extends the TTL; false when the lock was lost (expired and maybe taken by another owner).</summary>
    Task<bool> ExtendAsync(TimeSpan ttl);
}
