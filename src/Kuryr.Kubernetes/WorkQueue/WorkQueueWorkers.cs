using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.WorkQueue;

/// <summary>The usual worker loop over an <see cref="IWorkQueue{TKey}"/>.</summary>
public static partial class WorkQueueWorkers
{
    /// <summary>
    /// Runs <paramref name="workers"/> loops that take keys and call <paramref name="process"/>:
    /// on success the key's backoff is forgotten, on an exception the key is requeued rate-limited.
    /// Returns when the queue is shut down and drained, or when <paramref name="cancellationToken"/>
    /// fires (keys still queued then stay in the queue).
    /// </summary>
    public static Task RunAsync<TKey>(
        this IWorkQueue<TKey> queue,
        int workers,
        Func<TKey, CancellationToken, Task> process,
        ILogger logger,
        CancellationToken cancellationToken)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        var loops = new Task[workers];
        for (var i = 0; i < workers; i++)
        {
            loops[i] = Task.Run(() => WorkerAsync(queue, process, logger, cancellationToken), CancellationToken.None);
        }

        return Task.WhenAll(loops);
    }

    private static async Task WorkerAsync<TKey>(IWorkQueue<TKey> queue, Func<TKey, CancellationToken, Task> process, ILogger logger, CancellationToken cancellationToken)
        where TKey : notnull
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            WorkItem<TKey> item;
            try
            {
                item = await queue.GetAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (item.Shutdown)
            {
                return;
            }

            try
            {
                await process(item.Key, cancellationToken);
                queue.Forget(item.Key);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: keep the key for whoever runs the queue next.
                queue.Add(item.Key);
            }
#pragma warning disable CA1031 // A worker survives any handler failure; the key is retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ProcessingFailed(logger, queue.Name, item.Key, queue.NumRequeues(item.Key) + 1, ex);
                queue.AddRateLimited(item.Key);
            }
            finally
            {
                queue.Done(item.Key);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Work queue {Queue}: processing key {Key} failed (attempt {Attempt}); retrying with backoff")]
        public static partial void ProcessingFailed(ILogger logger, string queue, object key, int attempt, Exception exception);
    }
}
