using System.Collections.Concurrent;
using Kuryr.Controller.Metrics;
using Kuryr.Kubernetes.Informers;
using Kuryr.Kubernetes.Models;
using Kuryr.Kubernetes.WorkQueue;
using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.Handlers.Pipeline;

/// <summary>One handler: its queue of keys, the deletions it still has to deliver, and its workers.</summary>
internal interface IHandlerRunner : IDisposable
{
    string Name { get; }

    Task RunWorkersAsync(CancellationToken term);

    HandlerActivity GetActivity();
}

/// <summary>
/// Feeds one handler from a shared informer: every add/update/delete queues the object's key;
/// a delete also keeps the last known object (the informer's delete notification) so
/// <see cref="IResourceHandler{T}.OnDeletedAsync"/> gets it after the object left the cache.
/// </summary>
internal sealed partial class HandlerRunner<T> : IHandlerRunner
    where T : KubernetesObject
{
    private readonly IResourceHandler<T> _handler;
    private readonly IInformer<T> _informer;
    private readonly IWorkQueue<string> _queue;
    private readonly int _workers;
    private readonly TimeProvider _time;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, T> _deleted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _inProgress = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;

    public HandlerRunner(string name, IResourceHandler<T> handler, IInformer<T> informer, IWorkQueue<string> queue, int workers,
        TimeProvider time, ControllerMetrics metrics, ILogger logger)
    {
        Name = name;
        _handler = handler;
        _informer = informer;
        _queue = queue;
        _workers = workers;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _subscription = informer.AddEventHandler(new InformerHandler<T>
        {
            Added = (obj, _) => _queue.Add(ObjectKeys.For(obj)),
            Updated = (_, obj) => _queue.Add(ObjectKeys.For(obj)),
            Deleted = (obj, _) =>
            {
                var key = ObjectKeys.For(obj);
                _deleted[key] = obj;
                _queue.Add(key);
            },
        });
    }

    public string Name { get; }

    public async Task RunWorkersAsync(CancellationToken term)
    {
        // Nothing seen while standing by is missed: every cached object and every pending deletion.
        var keys = _informer.Cache.ListKeys();
        foreach (var key in keys)
        {
            _queue.Add(key);
        }

        foreach (var key in _deleted.Keys)
        {
            _queue.Add(key);
        }

        LogWorkersStarted(_logger, Name, _workers, keys.Count + _deleted.Count);
        var loops = new Task[_workers];
        for (var i = 0; i < _workers; i++)
        {
            loops[i] = Task.Run(() => WorkerAsync(term), CancellationToken.None);
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        LogWorkersStopped(_logger, Name);
    }

    public HandlerActivity GetActivity()
    {
        var now = _time.GetTimestamp();
        var longest = TimeSpan.Zero;
        string? oldest = null;
        foreach (var (key, started) in _inProgress)
        {
            var elapsed = _time.GetElapsedTime(started, now);
            if (elapsed >= longest)
            {
                longest = elapsed;
                oldest = key;
            }
        }

        return new HandlerActivity(Name, _informer.Resource.Plural, _queue.Count, _inProgress.Count, longest, oldest);
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _queue.Dispose();
    }

    private async Task WorkerAsync(CancellationToken term)
    {
        while (!term.IsCancellationRequested)
        {
            WorkItem<string> item;
            try
            {
                item = await _queue.GetAsync(term).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested)
            {
                return;
            }

            if (item.Shutdown)
            {
                return;
            }

            var key = item.Key;
            var started = _time.GetTimestamp();
            _inProgress[key] = started;
            var result = ControllerMetrics.Results.Success;
            try
            {
                await ProcessAsync(key, term).ConfigureAwait(false);
                _queue.Forget(key);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested)
            {
                // The term ended: keep the key for the next leader term (queued again on Done).
                result = ControllerMetrics.Results.Cancelled;
                _queue.Add(key);
            }
            catch (ResourceNotReadyException e)
            {
                result = ControllerMetrics.Results.NotReady;
                var attempt = _queue.NumRequeues(key) + 1;
                LogNotReady(_logger, Name, key, attempt, e.Message);
                _queue.AddRateLimited(key);
            }
#pragma warning disable CA1031 // A handler failure never stops the worker: the key is retried with backoff.
            catch (Exception e)
#pragma warning restore CA1031
            {
                result = ControllerMetrics.Results.Error;
                var attempt = _queue.NumRequeues(key) + 1;
                LogFailed(_logger, Name, key, attempt, e);
                _queue.AddRateLimited(key);
            }
            finally
            {
                _inProgress.TryRemove(key, out _);
                _queue.Done(key);
                _metrics.RecordEvent(Name, result, _time.GetElapsedTime(started));
            }
        }
    }

    private async Task ProcessAsync(string key, CancellationToken cancellationToken)
    {
        var current = _informer.Cache.GetByKey(key);
        if (_deleted.TryGetValue(key, out var gone))
        {
            if (current is null || !string.Equals(current.Metadata.Uid, gone.Metadata.Uid, StringComparison.Ordinal))
            {
                // Gone, or gone and re-created under the same name: the old object's deletion first.
                await _handler.OnDeletedAsync(gone, cancellationToken).ConfigureAwait(false);
            }

            _deleted.TryRemove(KeyValuePair.Create(key, gone));
        }

        if (current is null)
        {
            return;
        }

        if (current.Metadata.DeletionTimestamp is not null)
        {
            await _handler.OnFinalizeAsync(current, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _handler.OnPresentAsync(current, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Handler {Handler}: {Workers} workers started, {Keys} keys queued")]
    private static partial void LogWorkersStarted(ILogger logger, string handler, int workers, int keys);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Handler {Handler}: workers stopped")]
    private static partial void LogWorkersStopped(ILogger logger, string handler);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Handler {Handler}: {Key} not ready (attempt {Attempt}), retrying with backoff: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string handler, string key, int attempt, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Handler {Handler}: {Key} failed (attempt {Attempt}), retrying with backoff")]
    private static partial void LogFailed(ILogger logger, string handler, string key, int attempt, Exception exception);
}
