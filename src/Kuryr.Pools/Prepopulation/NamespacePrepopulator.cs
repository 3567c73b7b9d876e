using System.Globalization;
using System.Text.Json.Nodes;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Prepopulation;

/// <inheritdoc cref="INamespacePrepopulator"/>
internal sealed partial class NamespacePrepopulator : INamespacePrepopulator
{
    /// <summary>The node label naming its pod_vif driver (set by kuryr-agent).</summary>
    internal const string PodVifLabel = "pod_vif";

    private const int MaxMarkAttempts = 5;

    private readonly IKubernetesClient _kubernetes;
    private readonly IVifPool _pool;
    private readonly IReadOnlyList<IPoolDriver> _drivers;
    private readonly IReadOnlyDictionary<string, string> _mapping;
    private readonly string _defaultPodVif;
    private readonly VifPoolOptions _vifPool;
    private readonly ILogger<NamespacePrepopulator> _logger;

    public NamespacePrepopulator(
        IKubernetesClient kubernetes,
        IVifPool pool,
        IEnumerable<IPoolDriver> drivers,
        IOptions<KubernetesOptions> kubernetesOptions,
        IOptions<VifPoolOptions> vifPool,
        ILogger<NamespacePrepopulator> logger)
    {
        _kubernetes = kubernetes;
        _pool = pool;
        _drivers = [.. drivers];
        _vifPool = vifPool.Value;
        _mapping = VifPoolMapping.Resolve(kubernetesOptions.Value, _vifPool);
        _defaultPodVif = kubernetesOptions.Value.PodVifDriver;
        _logger = logger;
    }

    /// <summary>Kuryr's count: <c>int(max(ports_pool_batch / 2, ports_pool_min))</c> (true division, then truncation).</summary>
    public static int PortsPerPool(int batch, int min) => (int)Math.Max(batch / 2.0, min);

    public async Task<PrepopulationResult> PopulateAsync(KuryrNetwork network, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        var count = PortsPerPool(_vifPool.PortsPoolBatch, _vifPool.PortsPoolMin);
        var ns = network.Metadata.Namespace ?? throw new ArgumentException("KuryrNetwork metadata.namespace is required", nameof(network));
        var name = network.Metadata.Name ?? throw new ArgumentException("KuryrNetwork metadata.name is required", nameof(network));

        // 1. populated: true FIRST, guarded by the resourceVersion we read.
        var current = network;
        for (var attempt = 1; ; attempt++)
        {
            var early = Check(current, count);
            if (early is not null)
            {
                return early;
            }

            try
            {
                current = await MarkAsync(current, ns, name, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (KubernetesApiException e) when (attempt < MaxMarkAttempts && e.Kind is KubernetesErrorKind.Conflict or KubernetesErrorKind.Invalid)
            {
                LogMarkRaced(ns, name, attempt);
                var fresh = await _kubernetes.TryGetAsync(KubernetesResources.KuryrNetworks, ns, name, cancellationToken).ConfigureAwait(false);
                if (fresh is null)
                {
                    return new PrepopulationResult(PrepopulationOutcome.Gone, count, []);
                }

                current = fresh;
            }
        }

        var subnetId = current.Status!.SubnetId!;
        var projectId = Required(current.Spec?.ProjectId, ns, "spec.projectId");
        var networkId = Required(current.Status.NetId, ns, "status.netId");

        // 2. Every node's pool on that network.
        var populated = new List<(PoolKey, int)>();
        try
        {
            await foreach (var node in _kubernetes.ListAllAsync(KubernetesResources.Nodes, null, new ListOptions { Limit = 500 }, cancellationToken).ConfigureAwait(false))
            {
                var target = TargetFor(node, ns, projectId, subnetId, networkId);
                if (target is null)
                {
                    continue;
                }

                var added = await _pool.PopulateAsync(target, count, cancellationToken).ConfigureAwait(false);
                populated.Add((target.Pool, added));
                LogPoolPopulated(ns, target.Pool.Id, added);
            }
        }
        catch (Exception e)
        {
            // 3. Kuryr: on failure set populated back to false so the handler retries, and re-raise.
            LogPopulateFailed(e, ns, name);
            await UnmarkAsync(ns, name).ConfigureAwait(false);
            throw;
        }

        return new PrepopulationResult(PrepopulationOutcome.Populated, count, populated);
    }

    private static PrepopulationResult? Check(KuryrNetwork kn, int count)
    {
        if (string.IsNullOrEmpty(kn.Status?.SubnetId))
        {
            return new PrepopulationResult(PrepopulationOutcome.NoSubnet, count, []);
        }

        return kn.Status.Populated == true ? new PrepopulationResult(PrepopulationOutcome.AlreadyPopulated, count, []) : null;
    }

    private Task<KuryrNetwork> MarkAsync(KuryrNetwork kn, string ns, string name, CancellationToken cancellationToken)
    {
        var rv = kn.Metadata.ResourceVersion ?? throw new ArgumentException($"KuryrNetwork {ns}/{name}: metadata.resourceVersion is required (read it from the API)", nameof(kn));
        var patch = KubernetesPatch.Json(
        [
            new JsonObject { ["op"] = "test", ["path"] = "/metadata/resourceVersion", ["value"] = rv },
            new JsonObject { ["op"] = "add", ["path"] = "/status/populated", ["value"] = true },
        ]);
        return _kubernetes.PatchAsync(KubernetesResources.KuryrNetworks, ns, name, patch, cancellationToken);
    }

    private async Task UnmarkAsync(string ns, string name)
    {
        // Only undo our own mark: test that it is still true.
        var patch = KubernetesPatch.Json(
        [
            new JsonObject { ["op"] = "test", ["path"] = "/status/populated", ["value"] = true },
            new JsonObject { ["op"] = "replace", ["path"] = "/status/populated", ["value"] = false },
        ]);
        try
        {
            await _kubernetes.PatchAsync(KubernetesResources.KuryrNetworks, ns, name, patch, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubernetesApiException or TimeoutException or HttpRequestException)
        {
            LogUnmarkFailed(e, ns, name);
        }
    }

    private PoolTarget? TargetFor(Node node, string ns, string projectId, string subnetId, string networkId)
    {
        var nodeName = node.Metadata.Name ?? "";
        var podVif = node.Metadata.Labels?.GetValueOrDefault(PodVifLabel) ?? _defaultPodVif;
        if (!_mapping.TryGetValue(podVif, out var driverName))
        {
            LogNodeNoDriver(nodeName, podVif);
            return null;
        }

        var driver = _drivers.FirstOrDefault(d => d.Name == driverName);
        if (driver is null || !driver.Pooled)
        {
            LogNodeNotPooled(nodeName, driverName);
            return null;
        }

        var hostIp = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
        var request = new PodVifRequest(ns, "kuryrnetwork-population", "", nodeName, hostIp, "eth0", projectId, subnetId, networkId, SecurityGroupSet.Default);
        try
        {
            return new PoolTarget(driver.PoolFor(request), driver.Name, nodeName, subnetId, SecurityGroupSet.Default);
        }
        catch (PoolDriverException e)
        {
            // e.g. a nested node without a trunk: Kuryr only considers worker trunks.
            LogNodeSkipped(nodeName, e.Message);
            return null;
        }
    }

    private static string Required(string? value, string ns, string field) =>
        string.IsNullOrEmpty(value)
            ? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"KuryrNetwork {ns}: {field} is required to populate the pools"))
            : value;
}
