using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.Handlers.Pods;

/// <summary>
/// Kuryr's <c>vif</c> handler: a scheduled, non-hostNetwork pod gets the pod finalizer and its
/// KuryrPort (the <c>kuryrport</c> handler then gives it VIFs); a completed or deleted pod gets its
/// KuryrPort deleted (whose own finalizer releases the VIFs) and, once the KuryrPort is gone, loses
/// the pod finalizer.
/// </summary>
internal sealed partial class VifHandler(IKubernetesClient client, ILogger<VifHandler> logger) : IResourceHandler<Pod>
{
    public async Task OnPresentAsync(Pod obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var (ns, name, uid) = Identity(obj);
        if (obj.Spec?.HostNetwork == true)
        {
            LogSkipped(ns, name, "hostNetwork");
            return;
        }

        var node = obj.Spec?.NodeName;
        if (string.IsNullOrEmpty(node))
        {
            LogSkipped(ns, name, "not scheduled");
            return;
        }

        if (IsCompleted(obj))
        {
            LogCompleted(ns, name, obj.Status?.Phase ?? "");
            await ReleaseAsync(obj, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (obj.Metadata.Finalizers?.Contains(KuryrConstants.PodFinalizer) != true)
        {
            await client.AddFinalizerAsync(KubernetesResources.Pods, ns, name, KuryrConstants.PodFinalizer, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await client.CreateAsync(KubernetesResources.KuryrPorts, NewKuryrPort(obj, node), cancellationToken).ConfigureAwait(false);
            LogKuryrPortCreated(ns, name, uid, node);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
            var existing = await client.TryGetAsync(KubernetesResources.KuryrPorts, ns, name, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                throw new ResourceNotReadyException($"KuryrPort {ns}/{name} was deleted while being created; retrying", e);
            }

            if (existing.Spec?.PodUid == uid)
            {
                return;
            }

            // A KuryrPort of an older pod of the same name (deleted without its KuryrPort going first):
            // never adopt it (its VIFs belong to the old pod's owner in the pools). Delete it; its own
            // finalizer gives its VIFs back; then this pod gets a fresh one on retry.
            LogStaleKuryrPort(ns, name, existing.Spec?.PodUid ?? "", uid);
            if (existing.Metadata.DeletionTimestamp is null)
            {
                await DeleteKuryrPortAsync(ns, name, existing.Metadata.Uid, cancellationToken).ConfigureAwait(false);
            }

            throw new ResourceNotReadyException($"KuryrPort {ns}/{name} belongs to an older pod (uid {existing.Spec?.PodUid}); waiting for it to go");
        }
    }

    public Task OnFinalizeAsync(Pod obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return ReleaseAsync(obj, cancellationToken);
    }

    public Task OnDeletedAsync(Pod obj, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deletes the pod's KuryrPort; when none is left, removes the pod finalizer.</summary>
    private async Task ReleaseAsync(Pod pod, CancellationToken cancellationToken)
    {
        var (ns, name, _) = Identity(pod);
        var existing = await client.TryGetAsync(KubernetesResources.KuryrPorts, ns, name, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Metadata.DeletionTimestamp is null)
        {
            await DeleteKuryrPortAsync(ns, name, existing.Metadata.Uid, cancellationToken).ConfigureAwait(false);
            existing = await client.TryGetAsync(KubernetesResources.KuryrPorts, ns, name, cancellationToken).ConfigureAwait(false);
        }

        if (existing is not null)
        {
            // The kuryrport handler's finalize releases the VIFs and removes the pod finalizer itself.
            LogWaitingForKuryrPort(ns, name);
            return;
        }

        if (pod.Metadata.Finalizers?.Contains(KuryrConstants.PodFinalizer) == true)
        {
            await client.RemoveFinalizerAsync(KubernetesResources.Pods, ns, name, KuryrConstants.PodFinalizer, cancellationToken).ConfigureAwait(false);
            LogPodFinalizerRemoved(ns, name);
        }
    }

    private async Task DeleteKuryrPortAsync(string ns, string name, string? kuryrPortUid, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(KubernetesResources.KuryrPorts, ns, name,
                new DeleteOptions { Preconditions = kuryrPortUid is null ? null : new Preconditions { Uid = kuryrPortUid } },
                cancellationToken).ConfigureAwait(false);
            LogKuryrPortDeleted(ns, name);
        }
        catch (KubernetesApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Gone already, or replaced by a newer one (the uid precondition): nothing of ours to delete.
        }
    }

    internal static KuryrPort NewKuryrPort(Pod pod, string node)
    {
        var (ns, name, uid) = Identity(pod);
        return new KuryrPort
        {
            Metadata = new ObjectMeta
            {
                Name = name,
                Namespace = ns,
                Finalizers = [KuryrConstants.KuryrPortFinalizer],
                Labels = new() { [KuryrConstants.KuryrPortNodeLabel] = node },
                OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = name, Uid = uid }],
            },
            Spec = new KuryrPortSpec { PodUid = uid, PodNodeName = node },
            Status = new KuryrPortStatus(),
        };
    }

    internal static bool IsCompleted(Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    private static (string Namespace, string Name, string Uid) Identity(Pod pod)
    {
        var ns = pod.Metadata.Namespace;
        var name = pod.Metadata.Name;
        var uid = pod.Metadata.Uid;
        if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name) || string.IsNullOrEmpty(uid))
        {
            throw new ArgumentException($"pod {ns}/{name}: metadata.namespace, metadata.name and metadata.uid are required", nameof(pod));
        }

        return (ns, name, uid);
    }

    [LoggerMessage(EventId = 5260, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod} skipped: {Why}")]
    private partial void LogSkipped(string @namespace, string pod, string why);

    [LoggerMessage(EventId = 5261, Level = LogLevel.Information, Message = "Created KuryrPort {Namespace}/{Pod} for pod uid {PodUid} on node {Node}")]
    private partial void LogKuryrPortCreated(string @namespace, string pod, string podUid, string node);

    [LoggerMessage(EventId = 5262, Level = LogLevel.Warning,
        Message = "KuryrPort {Namespace}/{Pod} belongs to an older pod (uid {OldPodUid}), not to pod uid {PodUid}: deleting it instead of adopting it")]
    private partial void LogStaleKuryrPort(string @namespace, string pod, string oldPodUid, string podUid);

    [LoggerMessage(EventId = 5263, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod} is {Phase}: releasing its KuryrPort")]
    private partial void LogCompleted(string @namespace, string pod, string phase);

    [LoggerMessage(EventId = 5264, Level = LogLevel.Information, Message = "Deleted KuryrPort {Namespace}/{Pod}")]
    private partial void LogKuryrPortDeleted(string @namespace, string pod);

    [LoggerMessage(EventId = 5265, Level = LogLevel.Debug, Message = "KuryrPort {Namespace}/{Pod} is being finalized; its handler removes the pod finalizer")]
    private partial void LogWaitingForKuryrPort(string @namespace, string pod);

    [LoggerMessage(EventId = 5266, Level = LogLevel.Information, Message = "Removed the pod finalizer of {Namespace}/{Pod}")]
    private partial void LogPodFinalizerRemoved(string @namespace, string pod);
}
