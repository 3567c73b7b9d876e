using System.Collections.Concurrent;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Drivers.MultiPool;

/// <summary>The <c>multi_pool</c> choice; with another vif_pool_driver, the one driver.</summary>
internal sealed class PoolDriverSelector : IPoolDriverSelector
{
    /// <summary>The node label the agent sets and Kuryr reads (the docs call it an annotation).</summary>
    public const string PodVifLabel = "pod_vif";

    private readonly Dictionary<string, IPoolDriver> _byPodVif = new(StringComparer.Ordinal);
    private readonly IPoolDriver? _single;
    private readonly string _defaultPodVif;
    private readonly IKubernetesClient? _kubernetes;
    private readonly NodeDriverCachingOptions _caching;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (IPoolDriver Driver, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public PoolDriverSelector(
        IEnumerable<IPoolDriver> drivers,
        IOptions<KubernetesOptions> kubernetes,
        IOptions<VifPoolOptions> pools,
        IOptions<NodeDriverCachingOptions> caching,
        TimeProvider time,
        IKubernetesClient? kubernetesClient = null)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(caching);
        Drivers = [.. drivers];
        _defaultPodVif = kubernetes.Value.PodVifDriver;
        _kubernetes = kubernetesClient;
        _caching = caching.Value;
        _time = time;
        if (kubernetes.Value.VifPoolDriver != KuryrDrivers.MultiPool)
        {
            _single = Drivers.FirstOrDefault(d => d.Name == kubernetes.Value.VifPoolDriver)
                ?? throw new PoolDriverException($"[kubernetes] vif_pool_driver = {kubernetes.Value.VifPoolDriver}: no such pool driver is registered (registered: {Names()})");
            return;
        }

        var mapping = VifPoolMapping.Resolve(kubernetes.Value, pools.Value);
        foreach (var (podVif, poolDriver) in mapping)
        {
            if (!KuryrDrivers.IsValidPair(poolDriver, podVif))
            {
                throw new PoolDriverException(
                    $"[vif_pool] vif_pool_mapping: {podVif}:{poolDriver} is not a valid pairing; valid pool driver → pod VIF drivers: {KuryrDrivers.DescribeValidPairs()}");
            }

            _byPodVif[podVif] = Drivers.FirstOrDefault(d => d.Name == poolDriver && d.PodVifDriver == podVif)
                ?? Drivers.FirstOrDefault(d => d.Name == poolDriver)
                ?? throw new PoolDriverException($"[vif_pool] vif_pool_mapping: pool driver {poolDriver} (for {podVif}) is not registered (registered: {Names()})");
        }

        if (_kubernetes is null)
        {
            throw new PoolDriverException("vif_pool_driver = multi_pool needs the Kubernetes client to read the nodes' pod_vif label");
        }
    }

    public IReadOnlyList<IPoolDriver> Drivers { get; }

    public IPoolDriver ByName(string name) =>
        Drivers.FirstOrDefault(d => d.Name == name) ?? throw new PoolDriverException($"pool driver \"{name}\" is not configured (configured: {Names()})");

    public async Task<IPoolDriver> ForNodeAsync(string nodeName, CancellationToken cancellationToken = default)
    {
        if (_single is not null)
        {
            return _single;
        }

        if (string.IsNullOrWhiteSpace(nodeName))
        {
            throw new PoolDriverException("multi_pool: the pod has no spec.nodeName to look up its pod_vif label");
        }

        var now = _time.GetUtcNow();
        if (_caching.Caching && _cache.TryGetValue(nodeName, out var hit) && hit.Expires > now)
        {
            return hit.Driver;
        }

        var node = await _kubernetes!.GetAsync(KubernetesResources.Nodes, null, nodeName, cancellationToken).ConfigureAwait(false);
        var podVif = node.Metadata?.Labels is { } labels && labels.TryGetValue(PodVifLabel, out var label) && !string.IsNullOrEmpty(label)
            ? label
            : _defaultPodVif;
        if (!_byPodVif.TryGetValue(podVif, out var driver))
        {
            throw new PoolDriverException(
                $"node {nodeName}: pod_vif \"{podVif}\" has no pool driver in [vif_pool] vif_pool_mapping (mapped: {string.Join(", ", _byPodVif.Keys)})");
        }

        if (_caching.Caching)
        {
            _cache[nodeName] = (driver, now + _caching.CacheTime);
        }

        return driver;
    }

    private string Names() => string.Join(", ", Drivers.Select(d => $"{d.Name}({d.PodVifDriver})"));
}
