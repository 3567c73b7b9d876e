using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Pools;
using Kuryr.Pools.State;
using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.Handlers.KuryrNetworks;

/// <summary>
/// Kuryr's <c>kuryrnetwork</c> handler: builds the namespace's Neutron network step by step, writing
/// <c>status</c> (merge patch of <c>{"status": {...}}</c>) after each step: <c>netId</c>, then
/// <c>subnetId</c>/<c>subnetCIDR</c>, then <c>routerId</c> (when <c>pod_router</c> is set) with
/// <c>populated: false</c>. That last write is what tells <c>kuryrnetwork_population</c> the
/// network is complete; it never overwrites a <c>populated</c> already there (LP #1916544: Kuryr's
/// final write reset the population's <c>true</c>). On finalize it frees the namespace's pools,
/// waits for ports still held by pods, removes the router interface, deletes subnet and network and
/// then its finalizer.
/// </summary>
internal sealed partial class KuryrNetworkHandler : IResourceHandler<KuryrNetwork>
{
    private const int MaxConflicts = 5;

    private readonly IKubernetesClient _kubernetes;
    private readonly NamespaceSubnetDriver _driver;
    private readonly IVifPool _pool;
    private readonly IPoolStateStore _store;
    private readonly ILogger<KuryrNetworkHandler> _logger;

    public KuryrNetworkHandler(IKubernetesClient kubernetes, NamespaceSubnetDriver driver, IVifPool pool, IPoolStateStore store, ILogger<KuryrNetworkHandler> logger)
    {
        _kubernetes = kubernetes;
        _driver = driver;
        _pool = pool;
        _store = store;
        _logger = logger;
    }

    public async Task OnPresentAsync(KuryrNetwork obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var (ns, name) = Names(obj);
        var status = obj.Status ?? new KuryrNetworkStatus();
        var router = _driver.Router;
        if (!string.IsNullOrEmpty(status.NetId) && !string.IsNullOrEmpty(status.SubnetId)
            && (router is null || !string.IsNullOrEmpty(status.RouterId)) && status.Populated is not null)
        {
            return; // complete: a resync costs no Neutron call
        }

        var projectId = string.IsNullOrEmpty(obj.Spec?.ProjectId)
            ? throw new ArgumentException($"KuryrNetwork {ns}/{name}: spec.projectId is required", nameof(obj))
            : obj.Spec.ProjectId;
        var uid = obj.Metadata.Uid ?? throw new ArgumentException($"KuryrNetwork {ns}/{name}: metadata.uid is required (read it from the API)", nameof(obj));
        var current = obj;

        // 1. Network.
        var netId = status.NetId;
        if (string.IsNullOrEmpty(netId))
        {
            netId = await _driver.EnsureNetworkAsync(ns, projectId, uid, cancellationToken).ConfigureAwait(false);
            current = await PatchStatusAsync(ns, name, new JsonObject { ["netId"] = netId }, cancellationToken).ConfigureAwait(false);
            LogStep(ns, "netId", netId);
        }

        // 2. Subnet from the subnet pool.
        var subnetId = current.Status?.SubnetId;
        if (string.IsNullOrEmpty(subnetId))
        {
            var subnet = await _driver.EnsureSubnetAsync(ns, projectId, netId, cancellationToken).ConfigureAwait(false);
            subnetId = subnet.Id;
            current = await PatchStatusAsync(ns, name, new JsonObject { ["subnetId"] = subnet.Id, ["subnetCIDR"] = subnet.Cidr }, cancellationToken).ConfigureAwait(false);
            LogStep(ns, "subnetId", subnetId);
        }

        // 3. Router interface, then populated: false (only when nothing wrote populated yet).
        var last = new JsonObject();
        if (router is not null && string.IsNullOrEmpty(current.Status?.RouterId))
        {
            await _driver.EnsureRouterInterfaceAsync(ns, router, netId, subnetId, cancellationToken).ConfigureAwait(false);
            last["routerId"] = router;
        }

        await FinishAsync(current, ns, name, last, cancellationToken).ConfigureAwait(false);
    }

    public async Task OnFinalizeAsync(KuryrNetwork obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var (ns, name) = Names(obj);
        if (obj.Metadata.Finalizers?.Contains(KuryrConstants.KuryrNetworkFinalizer) != true)
        {
            return;
        }

        var netId = obj.Status?.NetId;
        if (string.IsNullOrEmpty(netId) && !string.IsNullOrEmpty(obj.Spec?.ProjectId) && obj.Metadata.Uid is { } uid)
        {
            // Crashed between the network create and the status write: find it anyway.
            netId = (await _driver.FindNetworkAsync(ns, obj.Spec.ProjectId, uid, cancellationToken).ConfigureAwait(false))?.Id;
        }

        if (!string.IsNullOrEmpty(netId))
        {
            await FreePoolsAsync(ns, netId, cancellationToken).ConfigureAwait(false);
            var routerId = string.IsNullOrEmpty(obj.Status?.RouterId) ? _driver.Router : obj.Status.RouterId;
            await _driver.DeleteAsync(ns, routerId, netId, obj.Status?.SubnetId, cancellationToken).ConfigureAwait(false);
        }

        await _kubernetes.RemoveFinalizerAsync(KubernetesResources.KuryrNetworks, ns, name, KuryrConstants.KuryrNetworkFinalizer, cancellationToken).ConfigureAwait(false);
        LogFinalized(ns, netId ?? "");
    }

    public Task OnDeletedAsync(KuryrNetwork obj, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Kuryr's <c>delete_network_pools</c>: every pool on the network gives its free ports
    /// back to Neutron; ports still held by pods keep the namespace (and its network) until released.</summary>
    private async Task FreePoolsAsync(string ns, string netId, CancellationToken cancellationToken)
    {
        var left = 0;
        foreach (var pool in await _store.ListPoolsAsync().ConfigureAwait(false))
        {
            if (pool.NetworkId != netId)
            {
                continue;
            }

            var freed = await _pool.FreePoolAsync(pool, cancellationToken).ConfigureAwait(false);
            var remaining = (await _store.ReadAsync(pool).ConfigureAwait(false)).States.Count;
            LogPoolFreed(ns, pool.Id, freed, remaining);
            left += remaining;
        }

        if (left > 0)
        {
            throw new ResourceNotReadyException($"namespace {ns}: {left} ports of its pools on network {netId} are still in use");
        }
    }

    private async Task FinishAsync(KuryrNetwork current, string ns, string name, JsonObject last, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var patch = (JsonObject)last.DeepClone();
            if (current.Status?.Populated is null)
            {
                patch["populated"] = false;
            }

            if (patch.Count == 0)
            {
                return;
            }

            var body = new JsonObject
            {
                // The resourceVersion makes the write conditional: a populated mark written since our
                // read gives a conflict, and the re-read below keeps it.
                ["metadata"] = new JsonObject { ["resourceVersion"] = current.Metadata.ResourceVersion },
                ["status"] = patch,
            };
            try
            {
                await _kubernetes.PatchAsync(KubernetesResources.KuryrNetworks, ns, name, KubernetesPatch.Merge(body), cancellationToken).ConfigureAwait(false);
                LogStep(ns, "populated", "false");
                return;
            }
            catch (KubernetesApiException e) when (e.Kind == KubernetesErrorKind.Conflict && attempt < MaxConflicts)
            {
                current = await _kubernetes.GetAsync(KubernetesResources.KuryrNetworks, ns, name, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task<KuryrNetwork> PatchStatusAsync(string ns, string name, JsonObject status, CancellationToken cancellationToken) =>
        _kubernetes.PatchAsync(KubernetesResources.KuryrNetworks, ns, name, KubernetesPatch.Merge(new JsonObject { ["status"] = status }), cancellationToken);

    private static (string Namespace, string Name) Names(KuryrNetwork obj)
    {
        var ns = obj.Metadata.Namespace;
        var name = obj.Metadata.Name;
        if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("KuryrNetwork metadata.namespace and metadata.name are required", nameof(obj));
        }

        return (ns, name);
    }

    [LoggerMessage(EventId = 5700, Level = LogLevel.Information, Message = "KuryrNetwork {Namespace}: status.{Field} = {Value}")]
    private partial void LogStep(string @namespace, string field, string value);

    [LoggerMessage(EventId = 5701, Level = LogLevel.Information, Message = "KuryrNetwork {Namespace}: pool {Pool} freed {Freed} ports, {Remaining} left")]
    private partial void LogPoolFreed(string @namespace, string pool, int freed, int remaining);

    [LoggerMessage(EventId = 5702, Level = LogLevel.Information, Message = "KuryrNetwork {Namespace}: network {NetworkId} released, finalizer removed")]
    private partial void LogFinalized(string @namespace, string networkId);
}
