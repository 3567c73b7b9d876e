using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Tests.Models;

public sealed class ResourceTypeTests
{
    [Fact]
    public void Core_and_group_paths()
    {
        Assert.Equal("/api/v1/namespaces/ns1/pods/p1", KubernetesResources.Pods.ObjectPath("ns1", "p1"));
        Assert.Equal("/api/v1/pods", KubernetesResources.Pods.CollectionPath(null));
        Assert.Equal("/api/v1/nodes/n1", KubernetesResources.Nodes.ObjectPath("ignored", "n1"));
        Assert.Equal("/apis/openstack.org/v1/namespaces/ns1/kuryrports", KubernetesResources.KuryrPorts.CollectionPath("ns1"));
        Assert.Equal("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/kuryrports.openstack.org",
            KubernetesResources.CustomResourceDefinitions.ObjectPath(null, "kuryrports.openstack.org"));
        Assert.Equal("openstack.org/v1", KubernetesResources.KuryrNetworks.ApiVersion);
        Assert.Equal("leases.coordination.k8s.io", KubernetesResources.Leases.Name);
    }

    [Fact]
    public void Missing_namespace_or_name_is_named()
    {
        var e = Assert.Throws<ArgumentException>(() => KubernetesResources.Pods.ObjectPath(null, "p1"));
        Assert.Contains("metadata.namespace", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => KubernetesResources.Pods.ObjectPath("ns", ""));
        Assert.Contains("metadata.name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strategic_merge_only_for_built_in_groups()
    {
        Assert.True(KubernetesResources.Pods.SupportsStrategicMergePatch);
        Assert.True(KubernetesResources.Leases.SupportsStrategicMergePatch);
        Assert.False(KubernetesResources.KuryrPorts.SupportsStrategicMergePatch);
        Assert.False(KubernetesResources.NetworkAttachmentDefinitions.SupportsStrategicMergePatch);
    }
}
