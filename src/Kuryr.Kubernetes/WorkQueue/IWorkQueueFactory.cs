namespace Kuryr.Kubernetes.WorkQueue;

/// <summary>Creates work queues that use the application's TimeProvider and logging.</summary>
public interface IWorkQueueFactory
{
    /// <summary>A queue with the default controller rate limiter built from <paramref name="options"/> (client-go's defaults when null).</summary>
    IWorkQueue<TKey> Create<TKey>(string name, WorkQueueOptions? options = null)
        where TKey : notnull;

    /// <summary>A queue with a custom rate limiter.</summary>
    IWorkQueue<TKey> Create<TKey>(string name, IWorkQueueRateLimiter<TKey> rateLimiter)
        where TKey : notnull;
}
