namespace Kuryr.Kubernetes.WorkQueue;

/// <summary>
/// Per-key exponential backoff: <c>baseDelay * 2^failures</c>, capped at <c>maxDelay</c>
/// (client-go ItemExponentialFailureRateLimiter).
/// </summary>
internal sealed class ExponentialFailureRateLimiter<TKey>(TimeSpan baseDelay, TimeSpan maxDelay) : IWorkQueueRateLimiter<TKey>
    where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Dictionary<TKey, int> _failures = [];

    public TimeSpan NextDelay(TKey key)
    {
        int exp;
        lock (_gate)
        {
            _failures.TryGetValue(key, out exp);
            _failures[key] = exp == int.MaxValue ? exp : exp + 1;
        }

        var backoff = baseDelay.Ticks * Math.Pow(2, exp);
        return backoff >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)backoff);
    }

    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    public int NumRequeues(TKey key)
    {
        lock (_gate)
        {
            return _failures.TryGetValue(key, out var n) ? n : 0;
        }
    }
}

/// <summary>
/// One token bucket shared by every key (client-go BucketRateLimiter over golang.org/x/time/rate):
/// each call reserves a token and answers how long to wait for it. The bucket starts full.
/// </summary>
internal sealed class TokenBucketRateLimiter<TKey> : IWorkQueueRateLimiter<TKey>
    where TKey : notnull
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly int _burst;
    private double _tokens;
    private long _last;

    public TokenBucketRateLimiter(double perSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _perSecond = perSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    public TimeSpan NextDelay(TKey key)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_last, now);
            _last = now;
            _tokens = Math.Min(_burst, _tokens + (elapsed.TotalSeconds * _perSecond));
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
        }
    }

    public void Forget(TKey key)
    {
    }

    public int NumRequeues(TKey key) => 0;
}

/// <summary>The longest delay of several limiters (client-go MaxOfRateLimiter).</summary>
internal sealed class MaxOfRateLimiter<TKey>(params IWorkQueueRateLimiter<TKey>[] limiters) : IWorkQueueRateLimiter<TKey>
    where TKey : notnull
{
    public TimeSpan NextDelay(TKey key)
    {
        var max = TimeSpan.Zero;
        foreach (var l in limiters)
        {
            var d = l.NextDelay(key);
            if (d > max)
            {
                max = d;
            }
        }

        return max;
    }

    public void Forget(TKey key)
    {
        foreach (var l in limiters)
        {
            l.Forget(key);
        }
    }

    public int NumRequeues(TKey key)
    {
        var max = 0;
        foreach (var l in limiters)
        {
            max = Math.Max(max, l.NumRequeues(key));
        }

        return max;
    }
}

/// <summary>Builds the default controller rate limiter from <see cref="WorkQueueOptions"/>.</summary>
internal static class WorkQueueRateLimiters
{
    public static IWorkQueueRateLimiter<TKey> Default<TKey>(WorkQueueOptions options, TimeProvider time)
        where TKey : notnull
    {
        options.Validate();
        var perKey = new ExponentialFailureRateLimiter<TKey>(options.BaseDelay, options.MaxDelay);
        return options.RetriesPerSecond > 0
            ? new MaxOfRateLimiter<TKey>(perKey, new TokenBucketRateLimiter<TKey>(options.RetriesPerSecond, options.RetryBurst, time))
            : perKey;
    }
}
