using System.Text.Json.Serialization;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Serialization;

/// <summary>
/// Source-generated JSON metadata for every model (camelCase, nulls omitted: a null property is
/// never sent, so it cannot clear a field the server set).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GenericObject))]
[JsonSerializable(typeof(KubernetesList<GenericObject>))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubernetesList<Pod>))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(KubernetesList<Node>))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubernetesList<Namespace>))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(KubernetesList<ConfigMap>))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubernetesList<Event>))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(KubernetesList<Lease>))]
[JsonSerializable(typeof(KuryrPort))]
[JsonSerializable(typeof(KubernetesList<KuryrPort>))]
[JsonSerializable(typeof(KuryrNetwork))]
[JsonSerializable(typeof(KubernetesList<KuryrNetwork>))]
[JsonSerializable(typeof(NetworkAttachmentDefinition))]
[JsonSerializable(typeof(KubernetesList<NetworkAttachmentDefinition>))]
[JsonSerializable(typeof(CustomResourceDefinition))]
[JsonSerializable(typeof(KubernetesList<CustomResourceDefinition>))]
[JsonSerializable(typeof(ApiStatus))]
[JsonSerializable(typeof(DeleteOptions))]
public sealed partial class KubernetesJsonContext : JsonSerializerContext;
