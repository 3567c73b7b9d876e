using Kuryr.Kubernetes.Models;

namespace Kuryr.Controller.Handlers;

/// <summary>
/// One of Kuryr's controller handlers (<c>[kubernetes] enabled_handlers</c>), Kuryr's
/// ResourceEventHandler: the pipeline calls <see cref="OnPresentAsync"/> for an object that exists
/// without <c>metadata.deletionTimestamp</c>, <see cref="OnFinalizeAsync"/> once it has one (deletion
/// is driven by finalizers), and <see cref="OnDeletedAsync"/> after it is gone. Calls for one object
/// are never concurrent and come in order; different objects run in parallel. A call that throws is
/// retried with per-object exponential backoff (<see cref="ResourceNotReadyException"/> is the
/// expected "not yet" and is logged quietly). Every call must be idempotent.
/// </summary>
public interface IResourceHandler<in T>
    where T : KubernetesObject
{
    Task OnPresentAsync(T obj, CancellationToken cancellationToken);

    Task OnFinalizeAsync(T obj, CancellationToken cancellationToken);

    Task OnDeletedAsync(T obj, CancellationToken cancellationToken);
}

/// <summary>Something the handler needs is not there yet (Kuryr's ResourceNotReady): retry later with backoff.</summary>
public sealed class ResourceNotReadyException : Exception
{
    public ResourceNotReadyException() { }

    public ResourceNotReadyException(string message) : base(message) { }

    public ResourceNotReadyException(string message, Exception innerException) : base(message, innerException) { }
}
