using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Client;

/// <summary>
/// A focused Kubernetes API client. Every operation takes a <see cref="ResourceType{T}"/>
/// (<see cref="KubernetesResources"/> has the ready-made ones). Failures throw
/// <see cref="KubernetesApiException"/>; a request that takes longer than the configured
/// timeout throws <see cref="TimeoutException"/>. Requests wait for the client-side rate limit.
/// </summary>
public interface IKubernetesClient : IDisposable
{
    /// <summary>The API server this client talks to.</summary>
    Uri Server { get; }

    /// <summary>The configuration's default namespace (kubeconfig context, in-cluster pod namespace), or null.</summary>
    string? DefaultNamespace { get; }

    Task<T> GetAsync<T>(ResourceType<T> type, string? ns, string name, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>Like <see cref="GetAsync{T}"/> but null on 404.</summary>
    Task<T?> TryGetAsync<T>(ResourceType<T> type, string? ns, string name, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>One list request (one page when <see cref="ListOptions.Limit"/> is set). Null namespace: all namespaces.</summary>
    Task<KubernetesList<T>> ListAsync<T>(ResourceType<T> type, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>Every page of a list, following <c>metadata.continue</c>; all pages share the first page's snapshot.</summary>
    IAsyncEnumerable<KubernetesList<T>> ListPagesAsync<T>(ResourceType<T> type, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>Every item over all pages.</summary>
    IAsyncEnumerable<T> ListAllAsync<T>(ResourceType<T> type, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>POST; the namespace is <c>metadata.namespace</c>.</summary>
    Task<T> CreateAsync<T>(ResourceType<T> type, T item, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>PUT of the whole object; a stale <c>metadata.resourceVersion</c> throws a Conflict exception.</summary>
    Task<T> ReplaceAsync<T>(ResourceType<T> type, T item, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    Task<T> PatchAsync<T>(ResourceType<T> type, string? ns, string name, KubernetesPatch patch, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>DELETE; the result is the object (still there with finalizers or a grace period, or as it was) or a Status.</summary>
    Task<DeleteResult<T>> DeleteAsync<T>(ResourceType<T> type, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>GET of the <c>/status</c> subresource.</summary>
    Task<T> GetStatusAsync<T>(ResourceType<T> type, string? ns, string name, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>PUT of the <c>/status</c> subresource (only the status part is applied).</summary>
    Task<T> ReplaceStatusAsync<T>(ResourceType<T> type, T item, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>PATCH of the <c>/status</c> subresource.</summary>
    Task<T> PatchStatusAsync<T>(ResourceType<T> type, string? ns, string name, KubernetesPatch patch, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>
    /// A watch stream (<c>?watch=1</c>): typed events until the server closes it (its
    /// <see cref="WatchOptions.TimeoutSeconds"/>) or <paramref name="cancellationToken"/> fires.
    /// ERROR events (e.g. 410 Expired) are yielded as data with <see cref="WatchEvent{T}.Status"/>;
    /// relisting is the caller's job. Not subject to the request timeout.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceType<T> type, string? ns, WatchOptions? options = null, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>
    /// Adds <paramref name="finalizer"/> (no-op if present) with a merge patch of
    /// <c>metadata.finalizers</c> carrying the read resourceVersion; on 409 re-reads and retries (bounded).
    /// </summary>
    Task<T> AddFinalizerAsync<T>(ResourceType<T> type, string? ns, string name, string finalizer, CancellationToken cancellationToken = default)
        where T : KubernetesObject;

    /// <summary>Removes <paramref name="finalizer"/> like <see cref="AddFinalizerAsync{T}"/>; null when the object is gone (or went with it).</summary>
    Task<T?> RemoveFinalizerAsync<T>(ResourceType<T> type, string? ns, string name, string finalizer, CancellationToken cancellationToken = default)
        where T : KubernetesObject;
}

/// <summary>What a DELETE answered: the object (<see cref="Object"/>) or a <see cref="Status"/>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Mirrors WatchEvent.Object.")]
public sealed record DeleteResult<T>(T? Object, ApiStatus? Status)
    where T : KubernetesObject;
