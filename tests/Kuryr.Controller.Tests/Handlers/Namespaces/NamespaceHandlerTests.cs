using Kuryr.Controller.Tests.Handlers.KuryrNetworks;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Controller.Tests.Handlers.Namespaces;

/// <summary>The namespace handler (and its pod side) on the real API server.</summary>
[Collection(NamespaceNetworkGroup.Collection)]
public sealed class NamespaceHandlerTests(NamespaceNetworkBed bed)
{
    private Task<Namespace> NamespaceAsync(string ns) => bed.KubeClient.GetAsync(KubernetesResources.Namespaces, null, ns);

    private Task<KuryrNetwork?> KuryrNetworkAsync(string ns) => bed.KubeClient.TryGetAsync(KubernetesResources.KuryrNetworks, ns, ns);

    private Task<Pod> CreatePodAsync(string ns, string name, bool hostNetwork) =>
        bed.KubeClient.CreateAsync(KubernetesResources.Pods, new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Spec = new PodSpec { NodeName = bed.Hosts[0], HostNetwork = hostNetwork, Containers = [new Container { Name = "c", Image = "busybox" }] },
        });

    [Fact]
    public async Task A_namespace_gets_its_KuryrNetwork_only_with_a_pod_network_pod_and_its_labels_follow()
    {
        var ns = await bed.Kube.CreateNamespaceAsync("kns-ns");
        var handler = NamespaceNetworkBed.NamespaceHandler(bed.Services);
        await CreatePodAsync(ns, "host", hostNetwork: true);

        await handler.OnPresentAsync(await NamespaceAsync(ns), default);
        Assert.Null(await KuryrNetworkAsync(ns)); // host-network pods only

        await CreatePodAsync(ns, "pod", hostNetwork: false);
        await bed.KubeClient.PatchAsync(KubernetesResources.Namespaces, null, ns, KubernetesPatch.Merge(new()
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { ["team"] = "a" } },
        }));
        await handler.OnPresentAsync(await NamespaceAsync(ns), default);

        var kn = await KuryrNetworkAsync(ns);
        Assert.NotNull(kn);
        Assert.Equal([KuryrConstants.KuryrNetworkFinalizer], kn.Metadata.Finalizers);
        Assert.Equal(ns, kn.Spec?.NsName);
        Assert.Equal(bed.Project.ProjectId, kn.Spec?.ProjectId);
        Assert.Equal("a", kn.Spec?.NsLabels?["team"]);

        // A label changes and one goes: spec.nsLabels follows exactly.
        await bed.KubeClient.PatchAsync(KubernetesResources.Namespaces, null, ns, KubernetesPatch.Merge(new()
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { ["team"] = null, ["tier"] = "b" } },
        }));
        await handler.OnPresentAsync(await NamespaceAsync(ns), default);
        var labels = (await KuryrNetworkAsync(ns))!.Spec!.NsLabels!;
        Assert.Equal("b", labels["tier"]);
        Assert.False(labels.ContainsKey("team"));

        // Namespace going: the KuryrNetwork is asked to go (its finalizer keeps it for the kuryrnetwork handler).
        await handler.OnFinalizeAsync(await NamespaceAsync(ns), default);
        Assert.NotNull((await KuryrNetworkAsync(ns))?.Metadata.DeletionTimestamp);
        await bed.KubeClient.RemoveFinalizerAsync(KubernetesResources.KuryrNetworks, ns, ns, KuryrConstants.KuryrNetworkFinalizer);
        Assert.Null(await KuryrNetworkAsync(ns));
        await handler.OnDeletedAsync(await NamespaceAsync(ns), default); // already gone: fine
    }

    [Fact]
    public async Task A_pod_in_a_namespace_handled_before_it_had_pods_still_gets_the_namespace_its_KuryrNetwork()
    {
        var ns = await bed.Kube.CreateNamespaceAsync("kns-late");
        await NamespaceNetworkBed.NamespaceHandler(bed.Services).OnPresentAsync(await NamespaceAsync(ns), default);
        Assert.Null(await KuryrNetworkAsync(ns));
        var podHandler = NamespaceNetworkBed.PodHandler(bed.Services);

        await podHandler.OnPresentAsync(await CreatePodAsync(ns, "host", hostNetwork: true), default);
        Assert.Null(await KuryrNetworkAsync(ns));
        await podHandler.OnPresentAsync(await CreatePodAsync(ns, "pod", hostNetwork: false), default);

        var kn = await KuryrNetworkAsync(ns);
        Assert.NotNull(kn);
        Assert.Equal(ns, kn.Spec?.NsName);
        await bed.KubeClient.RemoveFinalizerAsync(KubernetesResources.KuryrNetworks, ns, ns, KuryrConstants.KuryrNetworkFinalizer);
        await bed.KubeClient.DeleteAsync(KubernetesResources.KuryrNetworks, ns, ns);
    }
}
