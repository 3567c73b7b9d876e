using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Kuryr.Kubernetes.Models;

/// <summary>
/// <c>openstack.org/v1 KuryrPort</c>, Kuryr's schema: one per pod, same name and namespace,
/// labelled <c>kuryr.openstack.org/nodeName</c>. No status subresource: status is written on the
/// main resource (Kuryr uses a JSON patch replacing <c>/status/vifs</c>).
/// </summary>
public sealed class KuryrPort : KubernetesObject
{
    public KuryrPort()
    {
        ApiVersion = "openstack.org/v1";
        Kind = "KuryrPort";
    }

    public KuryrPortSpec? Spec { get; set; }

    public KuryrPortStatus? Status { get; set; }
}

public sealed class KuryrPortSpec
{
    public string? PodUid { get; set; }

    public string? PodNodeName { get; set; }

    public bool? PodStatic { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class KuryrPortStatus
{
    /// <summary>ifname (<c>eth0</c>, <c>eth1</c>, ...) → VIF.</summary>
    public Dictionary<string, KuryrPortVif> Vifs { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class KuryrPortVif
{
    [JsonPropertyName("default")]
    public bool Default { get; set; }

    /// <summary>The os-vif envelope (<c>versioned_object.name</c>, <c>.namespace</c>, <c>.version</c>, <c>.data</c>), kept verbatim.</summary>
    public JsonObject? Vif { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary><c>openstack.org/v1 KuryrNetwork</c>: one per namespace, named after it.</summary>
public sealed class KuryrNetwork : KubernetesObject
{
    public KuryrNetwork()
    {
        ApiVersion = "openstack.org/v1";
        Kind = "KuryrNetwork";
    }

    public KuryrNetworkSpec? Spec { get; set; }

    public KuryrNetworkStatus? Status { get; set; }
}

public sealed class KuryrNetworkSpec
{
    public string? NsName { get; set; }

    public string? ProjectId { get; set; }

    public Dictionary<string, string>? NsLabels { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class KuryrNetworkStatus
{
    public string? NetId { get; set; }

    public string? SubnetId { get; set; }

    [JsonPropertyName("subnetCIDR")]
    public string? SubnetCIDR { get; set; }

    public string? RouterId { get; set; }

    public bool? Populated { get; set; }

    public Dictionary<string, string>? NsLabels { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary><c>k8s.cni.cncf.io/v1 NetworkAttachmentDefinition</c> (Multus/NPWG).</summary>
public sealed class NetworkAttachmentDefinition : KubernetesObject
{
    public NetworkAttachmentDefinition()
    {
        ApiVersion = "k8s.cni.cncf.io/v1";
        Kind = "NetworkAttachmentDefinition";
    }

    public NetworkAttachmentDefinitionSpec? Spec { get; set; }
}

public sealed class NetworkAttachmentDefinitionSpec
{
    /// <summary>A CNI configuration as a JSON string (Kuryr reads the annotation instead).</summary>
    public string? Config { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
