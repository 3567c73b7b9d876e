namespace Kuryr.Kubernetes.WorkQueue;

/// <summary>Decides how long a key waits before it is retried (client-go workqueue.RateLimiter).</summary>
public interface IWorkQueueRateLimiter<in TKey>
    where TKey : notnull
{
    /// <summary>The delay for the next retry of <paramref name="key"/>; counts one more failure.</summary>
    TimeSpan NextDelay(TKey key);

    /// <summary>Forgets the key's failures.</summary>
    void Forget(TKey key);

    /// <summary>The key's failures counted since its last <see cref="Forget"/>.</summary>
    int NumRequeues(TKey key);
}
