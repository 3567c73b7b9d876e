using System.Collections.Concurrent;
using Kuryr.Kubernetes.Informers;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Tests.Informers;

/// <summary>Records an informer's notifications as readable strings, in delivery order.</summary>
public sealed class EventRecorder<T> : IInformerHandler<T>
    where T : KubernetesObject
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> Events => [.. _events];

    /// <summary>The events of one object (by name), in order.</summary>
    public IReadOnlyList<string> For(string name) => Events.Where(e => e.Split(' ')[1] == name).ToArray();

    public void OnAdd(T obj, bool isInInitialList) =>
        _events.Enqueue($"{(isInInitialList ? "initial" : "add")} {obj.Metadata.Name} {Describe(obj)}");

    public void OnUpdate(T oldObj, T newObj) =>
        _events.Enqueue(ReferenceEquals(oldObj, newObj) ? $"resync {newObj.Metadata.Name} {Describe(newObj)}" : $"update {newObj.Metadata.Name} {Describe(oldObj)}->{Describe(newObj)}");

    public void OnDelete(T lastKnown, bool finalStateUnknown) =>
        _events.Enqueue($"{(finalStateUnknown ? "tombstone" : "delete")} {lastKnown.Metadata.Name} {Describe(lastKnown)}");

    /// <summary>A test's own payload: the <c>step</c> label (or the resourceVersion when absent).</summary>
    private static string Describe(T obj) =>
        obj.Metadata.Labels is { } l && l.TryGetValue("step", out var s) ? s : "rv" + obj.Metadata.ResourceVersion;
}
