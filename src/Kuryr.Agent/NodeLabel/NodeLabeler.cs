using System.Text.Json.Nodes;
using Kuryr.Agent.Hosting;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.NodeLabel;

/// <summary>Labels this agent's Node <c>pod_vif=&lt;[kubernetes] pod_vif_driver&gt;</c>, so the multi pool driver needs no manual labelling.</summary>
public interface INodeLabeler
{
    /// <summary>Applies the label (one merge patch; nothing when it is already there). Returns the label value.</summary>
    Task<string> ApplyAsync(CancellationToken cancellationToken);
}

/// <summary><see cref="INodeLabeler"/> with a GET first, so an agent restart writes nothing.</summary>
internal sealed partial class NodeLabeler(IKubernetesClient api, AgentNode node, IOptions<KubernetesOptions> kubernetes, ILogger<NodeLabeler> logger) : INodeLabeler
{
    /// <summary>Kuryr's node label naming the node's pod VIF driver.</summary>
    internal const string PodVifLabel = "pod_vif";

    public async Task<string> ApplyAsync(CancellationToken cancellationToken)
    {
        var value = kubernetes.Value.PodVifDriver;
        var current = await api.GetAsync(KubernetesResources.Nodes, null, node.Name, cancellationToken).ConfigureAwait(false);
        if (current.Metadata.Labels is { } labels && labels.TryGetValue(PodVifLabel, out var existing) && existing == value)
        {
            LogAlreadyLabelled(node.Name, value);
            return value;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [PodVifLabel] = value } } };
        await api.PatchAsync(KubernetesResources.Nodes, null, node.Name, KubernetesPatch.Merge(patch), cancellationToken).ConfigureAwait(false);
        var previous = current.Metadata.Labels?.GetValueOrDefault(PodVifLabel) ?? "";
        LogLabelled(node.Name, value, previous);
        return value;
    }

    [LoggerMessage(EventId = 6900, Level = LogLevel.Information, Message = "Node {Node} labelled pod_vif={PodVif} (was \"{Previous}\")")]
    private partial void LogLabelled(string node, string podVif, string previous);

    [LoggerMessage(EventId = 6901, Level = LogLevel.Debug, Message = "Node {Node} already labelled pod_vif={PodVif}")]
    private partial void LogAlreadyLabelled(string node, string podVif);
}
