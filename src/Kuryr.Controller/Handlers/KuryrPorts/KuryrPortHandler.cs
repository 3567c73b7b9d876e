using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Assignments;
using Kuryr.Config.Options;
using Kuryr.Controller.MultiVif;
using Kuryr.Controller.PodNetwork;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Events;
using Kuryr.Kubernetes.Models;
using Kuryr.Pools;
using Kuryr.Pools.Drivers.MultiPool;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Handlers.KuryrPorts;

/// <summary>
/// Kuryr's <c>kuryrport</c> handler: gives a KuryrPort its VIFs (eth0 from the pools, eth1… from the
/// multi-VIF drivers), activates them, publishes them to the node, and on finalize gives every VIF
/// back the way its <see cref="VifSource"/> says. Flow and formats: docs/controller-handlers.md.
/// </summary>
internal sealed partial class KuryrPortHandler(
    IKubernetesClient client,
    IPodNetworkResolver networks,
    IVifPool pool,
    IPoolDriverSelector drivers,
    IEnumerable<IMultiVifDriver> multiVifDrivers,
    VifReleaser releaser,
    INodeVifPublisher publisher,
    IEventRecorder events,
    IOptions<KubernetesOptions> kubernetes,
    KuryrPortMetrics metrics,
    TimeProvider time,
    ILogger<KuryrPortHandler> logger) : IResourceHandler<KuryrPort>
{
    public async Task OnPresentAsync(KuryrPort obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var id = KuryrPortIdentity.Of(obj);
        var pod = await GetPodAsync(id, cancellationToken).ConfigureAwait(false);
        if (pod is null)
        {
            // The pod is gone (or replaced by a newer one of the same name): the KuryrPort goes, and
            // its finalize gives back whatever it holds.
            LogPodMissing(id.Namespace, id.Name, id.PodUid);
            await events.RecordAsync(obj, EventTypes.Warning, KuryrConstants.Reasons.MissingPod,
                $"pod {id.Namespace}/{id.Name} with uid {id.PodUid} is gone; deleting the KuryrPort", cancellationToken).ConfigureAwait(false);
            await DeleteKuryrPortAsync(obj, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (obj.Status?.Vifs is not { Count: > 0 } vifs)
        {
            if (pod.Status?.Phase is "Succeeded" or "Failed")
            {
                // A completed pod needs no network; the vif handler deletes this KuryrPort.
                return;
            }

            await AssignAsync(obj, id, pod, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ActivateAsync(obj, id, pod, vifs, cancellationToken).ConfigureAwait(false);
    }

    public async Task OnFinalizeAsync(KuryrPort obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var id = KuryrPortIdentity.Of(obj);
        var pod = await GetPodAsync(id, cancellationToken).ConfigureAwait(false);
        var sources = VifSources.Parse(obj);
        foreach (var (ifname, vif) in obj.Status?.Vifs ?? [])
        {
            if (vif.Vif is null)
            {
                continue;
            }

            var source = sources.GetValueOrDefault(ifname)
                ?? await releaser.DeriveAsync(id, ifname, vif.Vif, pod, cancellationToken).ConfigureAwait(false);
            await releaser.ReleaseAsync(id, ifname, source, cancellationToken, vif.Vif).ConfigureAwait(false);
            LogReleased(id.Namespace, id.Name, ifname, source.PortId, source.Kind, source.Pool ?? "");
        }

        await publisher.RemoveAsync(id.Node, id.Namespace, id.Name, cancellationToken).ConfigureAwait(false);
        if (pod?.Metadata.Finalizers?.Contains(KuryrConstants.PodFinalizer) == true)
        {
            await client.RemoveFinalizerAsync(KubernetesResources.Pods, id.Namespace, id.Name, KuryrConstants.PodFinalizer, cancellationToken).ConfigureAwait(false);
        }

        await client.RemoveFinalizerAsync(KubernetesResources.KuryrPorts, id.Namespace, id.Name, KuryrConstants.KuryrPortFinalizer, cancellationToken).ConfigureAwait(false);
        LogFinalized(id.Namespace, id.Name, id.PodUid, pod is null);
    }

    public Task OnDeletedAsync(KuryrPort obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var id = KuryrPortIdentity.Of(obj);
        return publisher.RemoveAsync(id.Node, id.Namespace, id.Name, cancellationToken);
    }

    /// <summary>First pass: take eth0 from the pools and the additional VIFs, write status.vifs + sources.</summary>
    private async Task AssignAsync(KuryrPort kp, KuryrPortIdentity id, Pod pod, CancellationToken cancellationToken)
    {
        var driver = await drivers.ForNodeAsync(id.Node, cancellationToken).ConfigureAwait(false);
        var hostIp = pod.Status?.HostIP;
        if (driver.PodVifDriver.StartsWith("nested", StringComparison.Ordinal) && string.IsNullOrEmpty(hostIp))
        {
            LogNoHostIp(id.Namespace, id.Name, id.Node);
            throw new ResourceNotReadyException($"pod {id.Namespace}/{id.Name} has no status.hostIP yet (nested pools are keyed by it)");
        }

        var network = await networks.ResolveAsync(pod, cancellationToken).ConfigureAwait(false);
        var request = new PodVifRequest(id.Namespace, id.Name, id.PodUid, id.Node, hostIp, "eth0",
            network.ProjectId, network.SubnetId, network.NetworkId, network.SecurityGroups);
        VifAssignment eth0;
        try
        {
            eth0 = await pool.RequestVifAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (PoolsNotReadyException e)
        {
            throw new ResourceNotReadyException("ports pools are not recovered yet", e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ResourceNotReadyException)
        {
            LogRequestFailed(id.Namespace, id.Name, e.Message);
            await events.RecordAsync(pod, EventTypes.Warning, KuryrConstants.Reasons.FailToPopulateVifPool,
                $"cannot get a port for eth0 from the pool: {e.Message}", cancellationToken).ConfigureAwait(false);
            throw;
        }

        var vifs = new JsonObject();
        var sources = new Dictionary<string, VifSource>(StringComparer.Ordinal);
        vifs["eth0"] = Entry(true, Activated(JsonNode.Parse(eth0.VifJson)!.AsObject()));
        sources["eth0"] = new VifSource(VifSourceKinds.Pool, eth0.PortId, eth0.Pool.Id, eth0.Driver);
        var index = 1;
        foreach (var multi in EnabledMultiVifDrivers())
        {
            var context = new MultiVifContext(pod, network, index, kubernetes.Value.AdditionalIfnamePrefix);
            foreach (var extra in await multi.RequestAdditionalVifsAsync(context, cancellationToken).ConfigureAwait(false))
            {
                vifs[extra.InterfaceName] = Entry(false, Activated(JsonNode.Parse(extra.VifJson)!.AsObject()));
                sources[extra.InterfaceName] = extra.Source;
                index++;
            }
        }

        var patched = await WriteVifsAsync(kp, vifs, sources, cancellationToken).ConfigureAwait(false);
        if (pod.Metadata.CreationTimestamp is { } created)
        {
            metrics.PodVifLatency.Record(Math.Max(0, (time.GetUtcNow() - created).TotalSeconds));
        }

        LogVifsWritten(id.Namespace, id.Name, eth0.PortId, eth0.Pool.Id, vifs.Count);
        await events.RecordAsync(pod, EventTypes.Normal, KuryrConstants.Reasons.KuryrPortUpdatedWithVifs,
            $"KuryrPort {id.Namespace}/{id.Name} has {vifs.Count} VIF(s); eth0 is port {eth0.PortId} from pool {eth0.Pool.Id}", cancellationToken).ConfigureAwait(false);
        await WriteNetworkStatusAsync(pod, vifs, sources, cancellationToken).ConfigureAwait(false);
        await PublishAsync(id, patched, vifs, cancellationToken).ConfigureAwait(false);
        if (!AllActive(vifs))
        {
            throw new ResourceNotReadyException($"KuryrPort {id.Namespace}/{id.Name}: waiting for its ports to become ACTIVE");
        }

        await events.RecordAsync(pod, EventTypes.Normal, KuryrConstants.Reasons.KuryrPortUpdatedWithActiveVifs,
            $"all VIFs of KuryrPort {id.Namespace}/{id.Name} are active", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Later passes: mark VIFs active (bare metal: once Neutron says ACTIVE), republish.</summary>
    private async Task ActivateAsync(KuryrPort kp, KuryrPortIdentity id, Pod pod, Dictionary<string, KuryrPortVif> current, CancellationToken cancellationToken)
    {
        var vifs = ToJson(current);
        var changed = false;
        foreach (var (ifname, entry) in vifs)
        {
            if (entry?["vif"] is not JsonObject vif || IsActive(vif))
            {
                continue;
            }

            if (CanActivateNow(vif) || await releaser.IsPortActiveAsync(VifEnvelope.PortId(vif, ifname), cancellationToken).ConfigureAwait(false))
            {
                SetActive(vif);
                changed = true;
            }
        }

        var written = kp;
        if (changed)
        {
            written = await WriteVifsAsync(kp, vifs, null, cancellationToken).ConfigureAwait(false);
            var allActive = AllActive(vifs);
            LogActivated(id.Namespace, id.Name, allActive);
        }

        if (pod.Metadata.Annotations?.ContainsKey(KuryrConstants.NetworkStatusAnnotation) != true)
        {
            await WriteNetworkStatusAsync(pod, vifs, VifSources.Parse(kp), cancellationToken).ConfigureAwait(false);
        }

        await PublishAsync(id, written, vifs, cancellationToken).ConfigureAwait(false);
        if (!AllActive(vifs))
        {
            LogWaitingForActive(id.Namespace, id.Name);
            throw new ResourceNotReadyException($"KuryrPort {id.Namespace}/{id.Name}: waiting for its ports to become ACTIVE");
        }

        if (changed)
        {
            await events.RecordAsync(pod, EventTypes.Normal, KuryrConstants.Reasons.KuryrPortUpdatedWithActiveVifs,
                $"all VIFs of KuryrPort {id.Namespace}/{id.Name} are active", cancellationToken).ConfigureAwait(false);
        }
    }

    private IEnumerable<IMultiVifDriver> EnabledMultiVifDrivers()
    {
        var byName = multiVifDrivers.ToDictionary(d => d.Name, StringComparer.Ordinal);
        foreach (var name in kubernetes.Value.MultiVifDrivers.Distinct(StringComparer.Ordinal))
        {
            yield return byName.TryGetValue(name, out var d)
                ? d
                : throw new InvalidOperationException(
                    $"[kubernetes] multi_vif_drivers names \"{name}\", which is not available (registered: {string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))})");
        }
    }

    private async Task<KuryrPort> WriteVifsAsync(KuryrPort kp, JsonObject vifs, Dictionary<string, VifSource>? sources, CancellationToken cancellationToken)
    {
        var ops = new JsonArray
        {
            kp.Status is null
                ? new JsonObject { ["op"] = "add", ["path"] = "/status", ["value"] = new JsonObject { ["vifs"] = vifs.DeepClone() } }
                : new JsonObject { ["op"] = "replace", ["path"] = "/status/vifs", ["value"] = vifs.DeepClone() },
        };
        if (sources is not null)
        {
            var json = JsonSerializer.Serialize(sources, KuryrPortJsonContext.Default.DictionaryStringVifSource);
            ops.Add(kp.Metadata.Annotations is null
                ? new JsonObject { ["op"] = "add", ["path"] = "/metadata/annotations", ["value"] = new JsonObject { [KuryrConstants.VifSourcesAnnotation] = json } }
                : new JsonObject { ["op"] = "add", ["path"] = "/metadata/annotations/" + KuryrConstants.VifSourcesAnnotation.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal), ["value"] = json });
        }

        return await client.PatchAsync(KubernetesResources.KuryrPorts, kp.Metadata.Namespace, kp.Metadata.Name!, KubernetesPatch.Json(ops), cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteNetworkStatusAsync(Pod pod, JsonObject vifs, IReadOnlyDictionary<string, VifSource> sources, CancellationToken cancellationToken)
    {
        var status = NetworkStatus.Build(vifs, sources);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject
                {
                    [KuryrConstants.NetworkStatusAnnotation] = JsonSerializer.Serialize(status, KuryrPortJsonContext.Default.ListNetworkStatusEntry),
                },
            },
        };
        try
        {
            await client.PatchAsync(KubernetesResources.Pods, pod.Metadata.Namespace, pod.Metadata.Name!, KubernetesPatch.Merge(patch), cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            // The pod went meanwhile: its KuryrPort follows.
        }
    }

    private Task PublishAsync(KuryrPortIdentity id, KuryrPort written, JsonObject vifs, CancellationToken cancellationToken) =>
        publisher.PublishAsync(id.Node, id.Namespace, id.Name,
            new NodeVifAssignment(id.PodUid, written.Metadata.ResourceVersion, (JsonObject)vifs.DeepClone()), cancellationToken);

    private async Task<Pod?> GetPodAsync(KuryrPortIdentity id, CancellationToken cancellationToken)
    {
        var pod = await client.TryGetAsync(KubernetesResources.Pods, id.Namespace, id.Name, cancellationToken).ConfigureAwait(false);
        return pod?.Metadata.Uid == id.PodUid ? pod : null;
    }

    private async Task DeleteKuryrPortAsync(KuryrPort kp, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(KubernetesResources.KuryrPorts, kp.Metadata.Namespace, kp.Metadata.Name!,
                new DeleteOptions { Preconditions = new Preconditions { Uid = kp.Metadata.Uid } }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Already gone, or a newer KuryrPort of the same name.
        }
    }

    /// <summary>Nested VIFs are usable at once (the subport was attached when the pool was filled);
    /// bare-metal ones only once Neutron says ACTIVE, unless wait_for_active_ports is off.</summary>
    private bool CanActivateNow(JsonObject vif) => VifEnvelope.IsNested(vif) || !kubernetes.Value.WaitForActivePorts;

    private JsonObject Activated(JsonObject vif)
    {
        if (CanActivateNow(vif))
        {
            SetActive(vif);
        }

        return vif;
    }

    private static JsonObject Entry(bool isDefault, JsonObject vif) => new() { ["default"] = isDefault, ["vif"] = vif };

    private static bool IsActive(JsonObject vif) => vif["versioned_object.data"]?["active"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static void SetActive(JsonObject vif)
    {
        if (vif["versioned_object.data"] is JsonObject data)
        {
            data["active"] = true;
        }
    }

    private static bool AllActive(JsonObject vifs) => vifs.All(kv => kv.Value?["vif"] is JsonObject vif && IsActive(vif));

    private static JsonObject ToJson(Dictionary<string, KuryrPortVif> vifs)
    {
        var result = new JsonObject();
        foreach (var (ifname, vif) in vifs)
        {
            result[ifname] = new JsonObject { ["default"] = vif.Default, ["vif"] = vif.Vif?.DeepClone() };
        }

        return result;
    }
}
