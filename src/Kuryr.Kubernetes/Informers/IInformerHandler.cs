using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Informers;

/// <summary>
/// Receives an informer's notifications, one at a time and in order (client-go
/// ResourceEventHandler). Keep handlers short (typically: enqueue the key in a work queue);
/// an exception is logged and does not stop the informer.
/// </summary>
public interface IInformerHandler<in T>
    where T : KubernetesObject
{
    /// <summary>A new object; <paramref name="isInInitialList"/> when it came from the first list (or a replay to a late handler).</summary>
    void OnAdd(T obj, bool isInInitialList);

    /// <summary>A changed object, or the same object again on a periodic resync (<c>ReferenceEquals(oldObj, newObj)</c>).</summary>
    void OnUpdate(T oldObj, T newObj);

    /// <summary>
    /// A deleted object. <paramref name="finalStateUnknown"/> (client-go's DeletedFinalStateUnknown
    /// tombstone) when the deletion was found by a relist: <paramref name="lastKnown"/> is then the
    /// last state the informer saw, not the state at deletion.
    /// </summary>
    void OnDelete(T lastKnown, bool finalStateUnknown);
}

/// <summary>An <see cref="IInformerHandler{T}"/> from delegates (any may be null).</summary>
public sealed class InformerHandler<T> : IInformerHandler<T>
    where T : KubernetesObject
{
    public Action<T, bool>? Added { get; init; }

    public Action<T, T>? Updated { get; init; }

    public Action<T, bool>? Deleted { get; init; }

    public void OnAdd(T obj, bool isInInitialList) => Added?.Invoke(obj, isInInitialList);

    public void OnUpdate(T oldObj, T newObj) => Updated?.Invoke(oldObj, newObj);

    public void OnDelete(T lastKnown, bool finalStateUnknown) => Deleted?.Invoke(lastKnown, finalStateUnknown);
}
