using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kuryr.Kubernetes.Serialization;

namespace Kuryr.Kubernetes.Models;

/// <summary><c>core/v1 Pod</c>: what Kuryr.Node reads (node, host network, addresses).</summary>
public sealed class Pod : KubernetesObject
{
    public Pod()
    {
        ApiVersion = "v1";
        Kind = "Pod";
    }

    public PodSpec? Spec { get; set; }

    public PodStatus? Status { get; set; }
}

public sealed class PodSpec
{
    public string? NodeName { get; set; }

    public bool? HostNetwork { get; set; }

    public List<Container> Containers { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class Container
{
    public string? Name { get; set; }

    public string? Image { get; set; }

    public List<string>? Command { get; set; }

    public List<string>? Args { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class PodStatus
{
    /// <summary><c>Pending</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c>, <c>Unknown</c>.</summary>
    public string? Phase { get; set; }

    [JsonPropertyName("hostIP")]
    public string? HostIP { get; set; }

    [JsonPropertyName("podIP")]
    public string? PodIP { get; set; }

    [JsonPropertyName("podIPs")]
    public List<PodIP>? PodIPs { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class PodIP
{
    [JsonPropertyName("ip")]
    public string? IP { get; set; }
}

/// <summary><c>core/v1 Node</c>: labels (<c>pod_vif</c>) and addresses.</summary>
public sealed class Node : KubernetesObject
{
    public Node()
    {
        ApiVersion = "v1";
        Kind = "Node";
    }

    public NodeSpec? Spec { get; set; }

    public NodeStatus? Status { get; set; }
}

public sealed class NodeSpec
{
    [JsonPropertyName("providerID")]
    public string? ProviderID { get; set; }

    [JsonPropertyName("podCIDR")]
    public string? PodCIDR { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class NodeStatus
{
    public List<NodeAddress>? Addresses { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class NodeAddress
{
    /// <summary><c>InternalIP</c>, <c>ExternalIP</c>, <c>Hostname</c>, ...</summary>
    public string? Type { get; set; }

    public string? Address { get; set; }
}

/// <summary><c>core/v1 Namespace</c>.</summary>
[SuppressMessage("Naming", "CA1716", Justification = "The Kubernetes kind name.")]
public sealed class Namespace : KubernetesObject
{
    public Namespace()
    {
        ApiVersion = "v1";
        Kind = "Namespace";
    }

    public NamespaceStatus? Status { get; set; }
}

public sealed class NamespaceStatus
{
    /// <summary><c>Active</c> or <c>Terminating</c>.</summary>
    public string? Phase { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary><c>core/v1 ConfigMap</c>.</summary>
public sealed class ConfigMap : KubernetesObject
{
    public ConfigMap()
    {
        ApiVersion = "v1";
        Kind = "ConfigMap";
    }

    public Dictionary<string, string>? Data { get; set; }
}

/// <summary><c>core/v1 Event</c> (what Kuryr writes: KuryrPortUpdatedWithVIFs, MissingPod, ...).</summary>
[SuppressMessage("Naming", "CA1716", Justification = "The Kubernetes kind name.")]
public sealed class Event : KubernetesObject
{
    public Event()
    {
        ApiVersion = "v1";
        Kind = "Event";
    }

    public ObjectReference? InvolvedObject { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary><c>Normal</c> or <c>Warning</c>.</summary>
    public string? Type { get; set; }

    public EventSource? Source { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? FirstTimestamp { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? LastTimestamp { get; set; }

    [JsonConverter(typeof(KubernetesMicroTimeConverter))]
    public DateTimeOffset? EventTime { get; set; }

    public int? Count { get; set; }

    public string? ReportingComponent { get; set; }

    public string? ReportingInstance { get; set; }

    public string? Action { get; set; }
}

public sealed class EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }
}

/// <summary><c>coordination.k8s.io/v1 Lease</c> (leader election).</summary>
public sealed class Lease : KubernetesObject
{
    public Lease()
    {
        ApiVersion = "coordination.k8s.io/v1";
        Kind = "Lease";
    }

    public LeaseSpec? Spec { get; set; }
}

public sealed class LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(KubernetesMicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(KubernetesMicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
