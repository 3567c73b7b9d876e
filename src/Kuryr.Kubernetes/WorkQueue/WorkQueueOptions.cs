namespace Kuryr.Kubernetes.WorkQueue;

/// <summary>
/// Retry limits of a work queue. Defaults are client-go's DefaultControllerRateLimiter: per key
/// 5 ms doubling up to 1000 s, and overall a token bucket of 10 keys per second with bursts of 100.
/// </summary>
public sealed class WorkQueueOptions
{
    /// <summary>Delay of a key's first retry; doubles with each further failure.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Cap of a key's retry delay.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1000);

    /// <summary>Overall retry rate (token bucket refill, per second). 0 or less disables the bucket.</summary>
    public double RetriesPerSecond { get; set; } = 10;

    /// <summary>Token bucket size.</summary>
    public int RetryBurst { get; set; } = 100;

    internal void Validate()
    {
        if (BaseDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), BaseDelay, $"{nameof(WorkQueueOptions)}.{nameof(BaseDelay)} must not be negative.");
        }

        if (MaxDelay < BaseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, $"{nameof(WorkQueueOptions)}.{nameof(MaxDelay)} must be at least {nameof(BaseDelay)} ({BaseDelay}).");
        }

        if (RetriesPerSecond > 0 && RetryBurst < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryBurst), RetryBurst, $"{nameof(WorkQueueOptions)}.{nameof(RetryBurst)} must be at least 1 when {nameof(RetriesPerSecond)} is positive.");
        }
    }
}
