using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Informers;

/// <summary>
/// Keeps a local, indexed cache of one resource in step with the API server and notifies handlers
/// (client-go SharedIndexInformer): a paginated list, then a watch from the list's
/// resourceVersion with bookmarks; reconnects from the last seen resourceVersion (capped
/// exponential backoff with jitter); on 410 Gone relists and delivers only the difference, so no
/// change is missed or delivered twice; optional periodic resync.
/// </summary>
public interface IInformer<T>
    where T : KubernetesObject
{
    /// <summary>The resource watched.</summary>
    ResourceType<T> Resource { get; }

    /// <summary>The local cache (complete once <see cref="HasSynced"/>).</summary>
    IInformerCache<T> Cache { get; }

    /// <summary>True once the first list has been applied and its events delivered.</summary>
    bool HasSynced { get; }

    /// <summary>The resourceVersion the informer has caught up to (from the last list, event or bookmark).</summary>
    string? LastSyncResourceVersion { get; }

    /// <summary>How many full lists the informer made (1 after the first sync; more after 410 Gone).</summary>
    int ListCount { get; }

    /// <summary>
    /// Adds a handler. When the cache is already filled, the handler first receives every cached
    /// object as <see cref="IInformerHandler{T}.OnAdd"/> (<c>isInInitialList = true</c>).
    /// Dispose the result to remove the handler.
    /// </summary>
    IDisposable AddEventHandler(IInformerHandler<T> handler);

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> fires. One run at a time.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes when <see cref="HasSynced"/> becomes true.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken = default);
}
