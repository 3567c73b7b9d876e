namespace Kuryr.Controller;

/// <summary>Kuryr's wire names (finalizers, labels, annotations, event reasons) the controller reads and writes.</summary>
public static class KuryrConstants
{
    public const string PodFinalizer = "kuryr.openstack.org/pod-finalizer";

    public const string KuryrPortFinalizer = "kuryr.openstack.org/kuryrport-finalizer";

    public const string KuryrNetworkFinalizer = "kuryrnetwork.finalizers.kuryr.openstack.org";

    /// <summary>KuryrPort label with the pod's node (the agent selects on it).</summary>
    public const string KuryrPortNodeLabel = "kuryr.openstack.org/nodeName";

    /// <summary>Node label naming the node's pod VIF driver (<c>neutron-vif</c>, <c>nested-vlan</c>, ...).</summary>
    public const string PodVifLabel = "pod_vif";

    /// <summary>
    /// Kuryr.Node's KuryrPort annotation recording where each VIF of <c>status.vifs</c> came from
    /// (a pool, a port created for the pod, or an operator's pre-created port), so the VIFs can be
    /// given back correctly on finalize even after a restart or a force-deleted pod. JSON object
    /// ifname → <see cref="Handlers.KuryrPorts.VifSource"/>. Kuryr's own readers ignore it.
    /// </summary>
    public const string VifSourcesAnnotation = "kuryr.node/vif-sources";

    public const string NetworksAnnotation = "k8s.v1.cni.cncf.io/networks";

    public const string NetworkStatusAnnotation = "k8s.v1.cni.cncf.io/network-status";

    /// <summary>NetworkAttachmentDefinition annotation: <c>{"subnetId": ..., "driverType": ...}</c>.</summary>
    public const string NadKuryrConfigAnnotation = "openstack.org/kuryr-config";

    public const string AdditionalSubnetsAnnotation = "openstack.org/kuryr-additional-subnets";

    public const string SpecPortsAnnotation = "spec-ports";

    /// <summary>Kuryr's event reasons.</summary>
    public static class Reasons
    {
        public const string KuryrPortUpdatedWithVifs = "KuryrPortUpdatedWithVIFs";

        public const string KuryrPortUpdatedWithActiveVifs = "KuryrPortUpdatedWithActiveVIFs";

        public const string ActivatePortFailed = "ActivatePortFailed";

        public const string FailToPopulateVifPool = "FailToPopulateVIFPool";

        public const string NoPodSubnetFound = "NoPodSubnetFound";

        public const string MissingPod = "MissingPod";

        public const string KuryrIgnoringPodEvent = "KuryrIgnoringPodEvent";

        /// <summary>Kuryr.Node: a multi-VIF annotation could not be used; the pod keeps its default network.</summary>
        public const string InvalidNetworkAnnotation = "KuryrInvalidNetworkAnnotation";
    }
}
