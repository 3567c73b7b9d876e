using System.Globalization;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.Events;

/// <summary>
/// Creates one <c>v1 Event</c> per call in the involved object's namespace (cluster-scoped objects:
/// <c>default</c>, as kubelet does for Nodes). Messages are cut to 1024 characters.
/// </summary>
internal sealed partial class EventRecorder(IKubernetesClient kubernetes, TimeProvider time, ILogger<EventRecorder> logger, string component, bool enabled) : IEventRecorder
{
    /// <summary>The namespace events about cluster-scoped objects are written to.</summary>
    public const string ClusterScopedEventNamespace = "default";

    private const int MaxMessageLength = 1024;

    public async Task RecordAsync(ObjectReference involved, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(involved);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        message ??= "";
        if (!enabled)
        {
            return;
        }

        if (message.Length > MaxMessageLength)
        {
            message = message[..MaxMessageLength];
        }

        var now = time.GetUtcNow();
        var ev = new Event
        {
            Metadata = new ObjectMeta
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"{involved.Name}.{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x10000):x4}"),
                Namespace = involved.Namespace ?? ClusterScopedEventNamespace,
            },
            InvolvedObject = involved,
            Reason = reason,
            Type = type,
            Message = message,
            Source = new EventSource { Component = component },
            ReportingComponent = component,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await kubernetes.CreateAsync(KubernetesResources.Events, ev, cancellationToken).ConfigureAwait(false);
            LogRecorded(involved.Kind, involved.Namespace, involved.Name, type, reason, message);
        }
        catch (KubernetesApiException e)
        {
            LogNotWritten(involved.Kind, involved.Namespace, involved.Name, reason, e.Message);
        }
        catch (HttpRequestException e)
        {
            LogNotWritten(involved.Kind, involved.Namespace, involved.Name, reason, e.Message);
        }
    }

    [LoggerMessage(EventId = 3501, Level = LogLevel.Debug, Message = "Event {Type} {Reason} on {Kind} {Namespace}/{Name}: {Message}")]
    private partial void LogRecorded(string? kind, string? @namespace, string? name, string type, string reason, string message);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Warning, Message = "Could not write event {Reason} on {Kind} {Namespace}/{Name}: {Error}")]
    private partial void LogNotWritten(string? kind, string? @namespace, string? name, string reason, string error);
}
