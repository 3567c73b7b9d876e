namespace Kuryr.Config.Options;

/// <summary>Kuryr's rule for which pool driver serves which pod_vif driver (<c>MultiVIFPool</c>).</summary>
public static class VifPoolMapping
{
    /// <summary>
    /// pod_vif_driver → pool driver: <c>[vif_pool] vif_pool_mapping</c> when set; otherwise the
    /// deprecated <c>pools_vif_drivers</c> inverted; otherwise the single pair
    /// <c>[kubernetes] pod_vif_driver</c> → <c>[kubernetes] vif_pool_driver</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Resolve(KubernetesOptions kubernetes, VifPoolOptions vifPool)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(vifPool);
        if (vifPool.VifPoolMapping.Count > 0)
        {
            return new Dictionary<string, string>(vifPool.VifPoolMapping, StringComparer.Ordinal);
        }

        if (vifPool.PoolsVifDrivers.Count > 0)
        {
            var inverted = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (poolDriver, podDriver) in vifPool.PoolsVifDrivers)
            {
                inverted.TryAdd(podDriver, poolDriver);
            }

            return inverted;
        }

        return new Dictionary<string, string>(StringComparer.Ordinal) { [kubernetes.PodVifDriver] = kubernetes.VifPoolDriver };
    }
}
