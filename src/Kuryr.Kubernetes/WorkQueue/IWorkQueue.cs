using System.Diagnostics.CodeAnalysis;

namespace Kuryr.Kubernetes.WorkQueue;

/// <summary>
/// A rate-limited work queue of keys, with client-go's semantics (workqueue.RateLimitingInterface):
/// <list type="bullet">
/// <item>a key queued twice before a worker takes it is processed once (deduplication);</item>
/// <item>a key is never handed to two workers at once: a key added while it is being processed is
/// queued again only when <see cref="Done"/> is called for it (dirty/processing sets);</item>
/// <item>keys come out in the order they were first added (FIFO);</item>
/// <item><see cref="AddRateLimited"/> delays a key by a per-key exponential backoff combined with an
/// overall token bucket; <see cref="Forget"/> resets the key's backoff;</item>
/// <item><see cref="ShutDown"/> refuses new keys, lets workers drain the queued ones, then
/// <see cref="GetAsync"/> answers <c>Shutdown = true</c>.</item>
/// </list>
/// </summary>
/// <typeparam name="TKey">The key type (e.g. <c>"namespace/name"</c>).</typeparam>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is a queue: client-go's workqueue.")]
public interface IWorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    /// <summary>The queue's name (for logs).</summary>
    string Name { get; }

    /// <summary>Number of keys waiting to be taken (not counting delayed or in-process keys).</summary>
    int Count { get; }

    /// <summary>Whether <see cref="ShutDown"/> was called.</summary>
    bool IsShuttingDown { get; }

    /// <summary>Queues <paramref name="key"/> now (ignored when it is already queued, or after shutdown).</summary>
    void Add(TKey key);

    /// <summary>Queues <paramref name="key"/> after <paramref name="delay"/>; a key already waiting keeps the earlier time.</summary>
    void AddAfter(TKey key, TimeSpan delay);

    /// <summary>Queues <paramref name="key"/> after the delay the rate limiter gives it (backoff grows per failure).</summary>
    void AddRateLimited(TKey key);

    /// <summary>Resets the key's backoff (call after it was processed successfully).</summary>
    void Forget(TKey key);

    /// <summary>How many times <paramref name="key"/> was requeued through <see cref="AddRateLimited"/> since its last <see cref="Forget"/>.</summary>
    int NumRequeues(TKey key);

    /// <summary>
    /// Waits for a key and marks it as being processed. The caller must call <see cref="Done"/> with it.
    /// Answers <c>Shutdown = true</c> (and a default key) once the queue is shut down and empty.
    /// </summary>
    ValueTask<WorkItem<TKey>> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks <paramref name="key"/> as processed; a key added meanwhile is queued again now.</summary>
    void Done(TKey key);

    /// <summary>Refuses new keys; workers still receive the queued ones, then <c>Shutdown = true</c>.</summary>
    void ShutDown();

    /// <summary><see cref="ShutDown"/>, then waits until no key is being processed.</summary>
    Task ShutDownWithDrainAsync(CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IWorkQueue{TKey}.GetAsync"/> answers.</summary>
/// <param name="Key">The key to process (default when <paramref name="Shutdown"/> is true).</param>
/// <param name="Shutdown">True when the queue is shut down and has nothing left.</param>
public readonly record struct WorkItem<TKey>(TKey Key, bool Shutdown);
