using Kuryr.Kubernetes.Serialization;

namespace Kuryr.Kubernetes.Models;

/// <summary>The resources Kuryr.Node reads and writes.</summary>
public static class KubernetesResources
{
    private static readonly KubernetesJsonContext Json = KubernetesJsonContext.Default;

    public static ResourceType<Pod> Pods { get; } = new("", "v1", "pods", "Pod", true, Json.Pod, Json.KubernetesListPod);

    public static ResourceType<Node> Nodes { get; } = new("", "v1", "nodes", "Node", false, Json.Node, Json.KubernetesListNode);

    public static ResourceType<Namespace> Namespaces { get; } = new("", "v1", "namespaces", "Namespace", false, Json.Namespace, Json.KubernetesListNamespace);

    public static ResourceType<ConfigMap> ConfigMaps { get; } = new("", "v1", "configmaps", "ConfigMap", true, Json.ConfigMap, Json.KubernetesListConfigMap);

    public static ResourceType<Event> Events { get; } = new("", "v1", "events", "Event", true, Json.Event, Json.KubernetesListEvent);

    public static ResourceType<Lease> Leases { get; } = new("coordination.k8s.io", "v1", "leases", "Lease", true, Json.Lease, Json.KubernetesListLease);

    public static ResourceType<KuryrPort> KuryrPorts { get; } = new("openstack.org", "v1", "kuryrports", "KuryrPort", true, Json.KuryrPort, Json.KubernetesListKuryrPort);

    public static ResourceType<KuryrNetwork> KuryrNetworks { get; } = new("openstack.org", "v1", "kuryrnetworks", "KuryrNetwork", true, Json.KuryrNetwork, Json.KubernetesListKuryrNetwork);

    public static ResourceType<NetworkAttachmentDefinition> NetworkAttachmentDefinitions { get; } =
        new("k8s.cni.cncf.io", "v1", "network-attachment-definitions", "NetworkAttachmentDefinition", true,
            Json.NetworkAttachmentDefinition, Json.KubernetesListNetworkAttachmentDefinition);

    public static ResourceType<CustomResourceDefinition> CustomResourceDefinitions { get; } =
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
            Json.CustomResourceDefinition, Json.KubernetesListCustomResourceDefinition);

    /// <summary>Any other resource, kept untyped (<see cref="GenericObject"/>).</summary>
    public static ResourceType<GenericObject> Generic(string group, string version, string plural, string kind, bool namespaced) =>
        new(group, version, plural, kind, namespaced, Json.GenericObject, Json.KubernetesListGenericObject);
}
