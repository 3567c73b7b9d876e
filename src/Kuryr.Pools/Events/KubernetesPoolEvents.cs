using System.Globalization;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Pools.Manager;
using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Events;

/// <summary>
/// Writes Kuryr's <c>FailToPopulateVIFPool</c> Warning event when a pool population fails. Kuryr
/// attached it to the pod whose request triggered the population; a background refill or a
/// namespace prepopulation has no such pod, so the event goes to the Node the pool serves
/// (events of cluster-scoped objects live in the <c>default</c> namespace, as kubelet's do).
/// </summary>
internal sealed partial class KubernetesPoolEvents(IKubernetesClient kubernetes, TimeProvider time, ILogger<KubernetesPoolEvents> logger) : IPoolEvents
{
    /// <summary>Kuryr's reason string.</summary>
    public const string FailToPopulateReason = "FailToPopulateVIFPool";

    /// <summary>The namespace events about Nodes are written to.</summary>
    public const string NodeEventNamespace = "default";

    private const int MaxMessageLength = 1024;

    public async Task OnPopulateFailedAsync(PoolTarget target, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(exception);
        var now = time.GetUtcNow();
        var message = $"Failed to populate pool {target.Pool.Id} (driver {target.Driver}, subnet {target.SubnetId}): {exception.Message}";
        if (message.Length > MaxMessageLength)
        {
            message = message[..MaxMessageLength];
        }

        var ev = new Event
        {
            Metadata = new ObjectMeta
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"{target.NodeName}.{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x10000):x4}"),
                Namespace = NodeEventNamespace,
            },
            InvolvedObject = new ObjectReference { ApiVersion = "v1", Kind = "Node", Name = target.NodeName },
            Reason = FailToPopulateReason,
            Type = "Warning",
            Message = message,
            Source = new EventSource { Component = "kuryr-controller" },
            ReportingComponent = "kuryr-controller",
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await kubernetes.CreateAsync(KubernetesResources.Events, ev, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            // An event is best effort: losing one must not turn into a second failure.
            LogEventNotWritten(target.Pool.Id, target.NodeName, e.Message);
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Could not write the FailToPopulateVIFPool event for pool {Pool} on node {Node}: {Error}")]
    private partial void LogEventNotWritten(string pool, string node, string error);
}
