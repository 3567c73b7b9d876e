using System.Text.Json;
using System.Text.Json.Serialization;
using Kuryr.Kubernetes.Serialization;

namespace Kuryr.Kubernetes.Models;

/// <summary>
/// Base of every typed object: <c>apiVersion</c>, <c>kind</c>, <c>metadata</c>. Fields this model
/// does not know land in <see cref="ExtensionData"/> and are written back unchanged, so a
/// read-modify-write (<c>replace</c>) never drops them.
/// </summary>
public abstract class KubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Any object: everything beyond <c>metadata</c> is kept in <see cref="KubernetesObject.ExtensionData"/>.</summary>
public sealed class GenericObject : KubernetesObject;

/// <summary><c>metav1.ObjectMeta</c>.</summary>
public sealed class ObjectMeta
{
    public string? Name { get; set; }

    public string? GenerateName { get; set; }

    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public long? Generation { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<string>? Finalizers { get; set; }

    public List<OwnerReference>? OwnerReferences { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? CreationTimestamp { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? DeletionTimestamp { get; set; }

    public long? DeletionGracePeriodSeconds { get; set; }

    /// <summary>managedFields, selfLink, clusterName and whatever a newer server adds.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary><c>metav1.OwnerReference</c>.</summary>
public sealed class OwnerReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public bool? Controller { get; set; }

    public bool? BlockOwnerDeletion { get; set; }
}

/// <summary><c>metav1.ListMeta</c>.</summary>
public sealed class ListMeta
{
    public string? ResourceVersion { get; set; }

    /// <summary>The <c>continue</c> token of a paginated list; null or empty on the last page.</summary>
    [JsonPropertyName("continue")]
    public string? Continue { get; set; }

    public long? RemainingItemCount { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A list answer: <c>{"kind":"PodList","metadata":{...},"items":[...]}</c>.</summary>
public sealed class KubernetesList<T>
    where T : KubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta Metadata { get; set; } = new();

    public List<T> Items { get; set; } = [];
}

/// <summary><c>core/v1 ObjectReference</c> (Event.involvedObject).</summary>
public sealed class ObjectReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public string? FieldPath { get; set; }
}
