using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Events;

/// <summary>
/// Writes Kubernetes Events (<c>v1 Event</c>) about an object, as client-go's EventRecorder does.
/// Best effort: a failure to write is logged, never thrown (losing an event must not turn into a
/// second failure). Honours Kuryr's <c>[kubernetes] use_events</c> when registered by the controller.
/// </summary>
public interface IEventRecorder
{
    /// <summary>An event of <paramref name="type"/> (<see cref="EventTypes"/>) with a CamelCase <paramref name="reason"/> about <paramref name="involved"/>.</summary>
    Task RecordAsync(ObjectReference involved, string type, string reason, string message, CancellationToken cancellationToken = default);
}

/// <summary>The two event types Kubernetes knows.</summary>
public static class EventTypes
{
    public const string Normal = "Normal";

    public const string Warning = "Warning";
}

/// <summary>Helpers to point an event at an object.</summary>
public static class EventRecorderExtensions
{
    /// <summary>An event about <paramref name="obj"/> (kind/apiVersion/namespace/name/uid/resourceVersion from it).</summary>
    public static Task RecordAsync(this IEventRecorder recorder, KubernetesObject obj, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(obj);
        var reference = new ObjectReference
        {
            ApiVersion = obj.ApiVersion,
            Kind = obj.Kind,
            Namespace = obj.Metadata.Namespace,
            Name = obj.Metadata.Name,
            Uid = obj.Metadata.Uid,
            ResourceVersion = obj.Metadata.ResourceVersion,
        };
        return recorder.RecordAsync(reference, type, reason, message, cancellationToken);
    }
}
