using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;

namespace Kuryr.LocalCluster.Kube;

/// <summary>
/// The Kubernetes side: Node objects (no kubelet registers them here), a namespace per run (a deleted
/// namespace stays Terminating forever without a controller-manager), pods bound to nodes.
/// </summary>
public sealed class KubeSide(IKubernetesClient client)
{
    private static readonly DeleteOptions Now = new() { GracePeriodSeconds = 0 };

    public IKubernetesClient Client => client;

    public async Task<string> CreateNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        await client.CreateAsync(KubernetesResources.Namespaces, new Namespace
        {
            Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "kuryr-local-cluster" } },
        }, cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>(Re)creates a Node labelled <c>pod_vif=<paramref name="podVif"/></c> with an InternalIP.</summary>
    public async Task CreateNodeAsync(string name, string podVif, string internalIp, CancellationToken cancellationToken)
    {
        await DeleteNodeAsync(name, cancellationToken).ConfigureAwait(false);
        await client.CreateAsync(KubernetesResources.Nodes, new Node
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string> { ["pod_vif"] = podVif, ["app.kubernetes.io/managed-by"] = "kuryr-local-cluster" },
            },
        }, cancellationToken).ConfigureAwait(false);
        await client.PatchStatusAsync(KubernetesResources.Nodes, null, name, KubernetesPatch.Merge(new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray { new JsonObject { ["type"] = "InternalIP", ["address"] = internalIp } },
            },
        }), cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteNodeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(KubernetesResources.Nodes, null, name, Now, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
        }
    }

    /// <summary>A pod bound to <paramref name="node"/> (what the scheduler would do), its hostIP set (what the kubelet would do).</summary>
    public async Task<Pod> CreatePodAsync(string ns, string name, string node, string hostIp, CancellationToken cancellationToken)
    {
        var pod = await client.CreateAsync(KubernetesResources.Pods, new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new Dictionary<string, string> { ["app"] = "kuryr-local" } },
            Spec = new PodSpec { NodeName = node, Containers = [new Container { Name = "c", Image = "busybox" }] },
        }, cancellationToken).ConfigureAwait(false);
        return await client.PatchStatusAsync(KubernetesResources.Pods, ns, name, KubernetesPatch.Merge(new JsonObject
        {
            ["status"] = new JsonObject { ["hostIP"] = hostIp, ["phase"] = "Pending" },
        }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the pod Running with its IP, as the kubelet does once the sandbox has its network.</summary>
    public async Task MarkRunningAsync(string ns, string name, string podIp, CancellationToken cancellationToken) =>
        await client.PatchStatusAsync(KubernetesResources.Pods, ns, name, KubernetesPatch.Merge(new JsonObject
        {
            ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = podIp },
        }), cancellationToken).ConfigureAwait(false);

    public async Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(KubernetesResources.Pods, ns, name, Now, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
        }
    }

    public async Task<int> CountAsync(string ns, CancellationToken cancellationToken)
    {
        var pods = await client.ListAsync(KubernetesResources.Pods, ns, null, cancellationToken).ConfigureAwait(false);
        var kps = await client.ListAsync(KubernetesResources.KuryrPorts, ns, null, cancellationToken).ConfigureAwait(false);
        return pods.Items.Count + kps.Items.Count;
    }

    /// <summary>Strips the finalizers of what is left in <paramref name="ns"/> (no controller runs any more) and deletes it.</summary>
    public async Task ForceCleanAsync(string ns, CancellationToken cancellationToken)
    {
        var strip = KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } });
        foreach (var kp in (await client.ListAsync(KubernetesResources.KuryrPorts, ns, null, cancellationToken).ConfigureAwait(false)).Items)
        {
            await client.PatchAsync(KubernetesResources.KuryrPorts, ns, kp.Metadata.Name!, strip, cancellationToken).ConfigureAwait(false);
        }

        foreach (var pod in (await client.ListAsync(KubernetesResources.Pods, ns, null, cancellationToken).ConfigureAwait(false)).Items)
        {
            await client.PatchAsync(KubernetesResources.Pods, ns, pod.Metadata.Name!, strip, cancellationToken).ConfigureAwait(false);
            await DeletePodAsync(ns, pod.Metadata.Name!, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteNamespaceAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(KubernetesResources.Namespaces, null, ns, null, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
        }
    }
}
