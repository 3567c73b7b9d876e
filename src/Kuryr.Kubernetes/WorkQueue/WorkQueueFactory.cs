using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.WorkQueue;

internal sealed class WorkQueueFactory(TimeProvider time, ILoggerFactory loggerFactory) : IWorkQueueFactory
{
    public IWorkQueue<TKey> Create<TKey>(string name, WorkQueueOptions? options = null)
        where TKey : notnull =>
        Create(name, WorkQueueRateLimiters.Default<TKey>(options ?? new WorkQueueOptions(), time));

    public IWorkQueue<TKey> Create<TKey>(string name, IWorkQueueRateLimiter<TKey> rateLimiter)
        where TKey : notnull =>
        new WorkQueue<TKey>(name, rateLimiter, time, loggerFactory.CreateLogger("Kuryr.Kubernetes.WorkQueue." + name));
}
