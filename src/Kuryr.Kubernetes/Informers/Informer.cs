using System.Security.Cryptography;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.Informers;

/// <summary>
/// List + watch loop, cache and handler dispatch. One lock (<c>_dispatch</c>) covers "apply a
/// change to the cache and tell every handler", so handlers see changes in cache order and a
/// handler added late gets a consistent replay.
/// </summary>
internal sealed partial class Informer<T> : IInformer<T>
    where T : KubernetesObject
{
    private readonly object _dispatch = new();
    private readonly List<IInformerHandler<T>> _handlers = [];
    private readonly IKubernetesClient _client;
    private readonly InformerOptions<T> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly InformerCache<T> _cache;
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _resourceVersion;
    private int _listCount;
    private int _running;

    public Informer(IKubernetesClient client, ResourceType<T> resource, InformerOptions<T>? options, TimeProvider time, ILogger logger)
    {
        _client = client;
        Resource = resource;
        _options = options ?? new InformerOptions<T>();
        _options.Validate();
        _time = time;
        _logger = logger;
        _cache = new InformerCache<T>(_options.Indexers);
        Name = resource + (_options.Namespace is { } ns && resource.Namespaced ? " in " + ns : "")
            + (_options.LabelSelector is { } ls ? " [" + ls + "]" : "")
            + (_options.FieldSelector is { } fs ? " [" + fs + "]" : "");
    }

    public ResourceType<T> Resource { get; }

    public IInformerCache<T> Cache => _cache;

    public bool HasSynced => _synced.Task.IsCompleted;

    public string? LastSyncResourceVersion => _resourceVersion;

    public int ListCount => Volatile.Read(ref _listCount);

    /// <summary>Random source of the backoff jitter and the watch timeout (tests make it deterministic).</summary>
    internal Func<double> Random { get; set; } = static () => RandomNumberGenerator.GetInt32(1 << 30) / (double)(1 << 30);

    private string Name { get; }

    /// <summary>Makes the next watch start from <paramref name="resourceVersion"/> (tests: an expired version forces the 410 path).</summary>
    internal void ResumeFrom(string resourceVersion) => _resourceVersion = resourceVersion;

    public IDisposable AddEventHandler(IInformerHandler<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_dispatch)
        {
            _handlers.Add(handler);
            if (HasSynced)
            {
                foreach (var obj in _cache.List())
                {
                    Invoke(handler, h => h.OnAdd(obj, true), obj);
                }
            }
        }

        return new Registration(this, handler);
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"Informer {Name} is already running.");
        }

        ITimer? resync = null;
        try
        {
            if (_options.ResyncPeriod > TimeSpan.Zero)
            {
                resync = _time.CreateTimer(static s => ((Informer<T>)s!).Resync(), this, _options.ResyncPeriod, _options.ResyncPeriod);
            }

            await ListAndWatchLoopAsync(cancellationToken);
        }
        finally
        {
            if (resync is not null)
            {
                await resync.DisposeAsync();
            }

            Volatile.Write(ref _running, 0);
        }
    }

    private async Task ListAndWatchLoopAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, _options.BackoffJitter, Random);
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAndReplaceAsync(cancellationToken);
                    needList = false;
                }

                var started = _time.GetTimestamp();
                var outcome = await WatchOnceAsync(cancellationToken);
                switch (outcome)
                {
                    case WatchOutcome.Expired:
                        Log.Expired(_logger, Name, _resourceVersion);
                        needList = true;
                        break;
                    case WatchOutcome.ClosedWithEvents:
                        backoff.Reset();
                        break;
                    case WatchOutcome.ClosedEmpty when _time.GetElapsedTime(started) < TimeSpan.FromSeconds(1):
                        // A server that closes watches at once: do not spin.
                        await Task.Delay(backoff.Next(), _time, cancellationToken);
                        break;
                    default:
                        backoff.Reset();
                        break;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException ex) when (ex.IsGone)
            {
                Log.Expired(_logger, Name, _resourceVersion);
                needList = true;
            }
#pragma warning disable CA1031 // The loop outlives any failure: it backs off and reconnects.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = backoff.Next();
                Log.Failed(_logger, Name, needList ? "list" : "watch", delay, ex);
                try
                {
                    await Task.Delay(delay, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListAndReplaceAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? version = null;
        var options = new ListOptions
        {
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            Limit = _options.PageSize > 0 ? _options.PageSize : null,
        };
        await foreach (var page in _client.ListPagesAsync(Resource, _options.Namespace, options, cancellationToken))
        {
            version ??= page.Metadata.ResourceVersion;
            items.AddRange(page.Items);
        }

        if (string.IsNullOrEmpty(version))
        {
            throw new InvalidOperationException($"Informer {Name}: the list answer has no metadata.resourceVersion.");
        }

        Replace(items, version);
        Interlocked.Increment(ref _listCount);
        Log.Listed(_logger, Name, items.Count, version);
    }

    /// <summary>Applies a full list: adds, updates (resourceVersion changed) and tombstone deletes.</summary>
    internal void Replace(IReadOnlyList<T> items, string resourceVersion)
    {
        lock (_dispatch)
        {
            var initial = !HasSynced;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var obj in items)
            {
                Complete(obj);
                var key = ObjectKeys.For(obj);
                if (!seen.Add(key))
                {
                    continue;
                }

                var old = _cache.GetByKey(key);
                if (old is not null && old.Metadata.ResourceVersion == obj.Metadata.ResourceVersion)
                {
                    continue;
                }

                _cache.Upsert(key, obj);
                if (old is null)
                {
                    Notify(h => h.OnAdd(obj, initial), obj);
                }
                else
                {
                    Notify(h => h.OnUpdate(old, obj), obj);
                }
            }

            foreach (var key in _cache.ListKeys())
            {
                if (!seen.Contains(key) && _cache.Remove(key) is { } gone)
                {
                    Notify(h => h.OnDelete(gone, true), gone);
                }
            }

            _resourceVersion = resourceVersion;
            _synced.TrySetResult();
        }
    }

    private async Task<WatchOutcome> WatchOnceAsync(CancellationToken cancellationToken)
    {
        var timeout = _options.MinWatchTimeout * (1 + Random());
        var options = new WatchOptions
        {
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            ResourceVersion = _resourceVersion,
            AllowWatchBookmarks = true,
            TimeoutSeconds = (int)Math.Ceiling(timeout.TotalSeconds),
        };
        var any = false;
        await foreach (var ev in _client.WatchAsync(Resource, _options.Namespace, options, cancellationToken))
        {
            if (ev.IsError)
            {
                if (ev.Status?.Code == 410 || ev.Status?.Reason is "Expired" or "Gone")
                {
                    return WatchOutcome.Expired;
                }

                throw new KubernetesApiException("WATCH " + Resource.CollectionPath(_options.Namespace), (System.Net.HttpStatusCode)(ev.Status?.Code ?? 500), ev.Status);
            }

            any = true;
            if (ev.IsBookmark)
            {
                if (ev.Object?.Metadata.ResourceVersion is { Length: > 0 } bookmark)
                {
                    _resourceVersion = bookmark;
                    Log.Bookmark(_logger, Name, bookmark);
                }

                continue;
            }

            if (ev.Object is null)
            {
                throw new InvalidOperationException($"Informer {Name}: {ev.Type} event without an object.");
            }

            Apply(ev.Type, ev.Object);
        }

        return any ? WatchOutcome.ClosedWithEvents : WatchOutcome.ClosedEmpty;
    }

    /// <summary>Applies one watch event to the cache and notifies the handlers.</summary>
    internal void Apply(string type, T obj)
    {
        Complete(obj);
        var key = ObjectKeys.For(obj);
        lock (_dispatch)
        {
            switch (type)
            {
                case WatchEventTypes.Added or WatchEventTypes.Modified:
                    {
                        var old = _cache.GetByKey(key);
                        if (old is not null && old.Metadata.ResourceVersion == obj.Metadata.ResourceVersion)
                        {
                            break;
                        }

                        _cache.Upsert(key, obj);
                        if (old is null)
                        {
                            Notify(h => h.OnAdd(obj, false), obj);
                        }
                        else
                        {
                            Notify(h => h.OnUpdate(old, obj), obj);
                        }

                        break;
                    }

                case WatchEventTypes.Deleted:
                    if (_cache.Remove(key) is not null)
                    {
                        Notify(h => h.OnDelete(obj, false), obj);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Informer {Name}: unknown watch event type '{type}'.");
            }

            if (obj.Metadata.ResourceVersion is { Length: > 0 } rv)
            {
                _resourceVersion = rv;
            }
        }
    }

    private void Resync()
    {
        lock (_dispatch)
        {
            if (!HasSynced)
            {
                return;
            }

            foreach (var obj in _cache.List())
            {
                Notify(h => h.OnUpdate(obj, obj), obj);
            }
        }
    }

    /// <summary>List items come without apiVersion/kind; fill them in so handlers see whole objects.</summary>
    private void Complete(T obj)
    {
        obj.ApiVersion ??= Resource.ApiVersion;
        obj.Kind ??= Resource.Kind;
    }

    private void Notify(Action<IInformerHandler<T>> call, T obj)
    {
        // A snapshot: a handler may add or remove handlers while being called.
        foreach (var h in _handlers.ToArray())
        {
            Invoke(h, call, obj);
        }
    }

    private void Invoke(IInformerHandler<T> handler, Action<IInformerHandler<T>> call, T obj)
    {
        try
        {
            call(handler);
        }
#pragma warning disable CA1031 // A failing handler must not stop the informer or the other handlers.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, Name, obj.Metadata.Namespace, obj.Metadata.Name, ex);
        }
    }

    private enum WatchOutcome
    {
        Expired,
        ClosedWithEvents,
        ClosedEmpty,
    }

    private sealed class Registration(Informer<T> owner, IInformerHandler<T> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._dispatch)
            {
                owner._handlers.Remove(handler);
            }
        }
    }
}
