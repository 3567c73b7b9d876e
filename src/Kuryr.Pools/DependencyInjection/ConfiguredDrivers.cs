using Kuryr.Config.Options;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.Macvlan;
using Kuryr.Pools.Drivers.Nested;
using Kuryr.Pools.Drivers.Neutron;
using Kuryr.Pools.Drivers.Noop;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.DependencyInjection;

/// <summary>The pool drivers <c>[kubernetes] vif_pool_driver</c> (and, for multi_pool,
/// <c>vif_pool_mapping</c>) asks for; an invalid pairing fails listing the valid ones.</summary>
internal static class ConfiguredDrivers
{
    public static IReadOnlyList<IPoolDriver> Build(IServiceProvider services)
    {
        var kubernetes = services.GetRequiredService<IOptions<KubernetesOptions>>().Value;
        var pools = services.GetRequiredService<IOptions<VifPoolOptions>>().Value;
        var pairs = kubernetes.VifPoolDriver == KuryrDrivers.MultiPool
            ? VifPoolMapping.Resolve(kubernetes, pools).Select(kv => (Pool: kv.Value, Pod: kv.Key)).ToList()
            : [(Pool: kubernetes.VifPoolDriver, Pod: kubernetes.PodVifDriver)];
        NestedPoolDriver? nested = null;
        MacvlanPodVifDriver? macvlan = null;
        var result = new List<IPoolDriver>();
        foreach (var (pool, pod) in pairs)
        {
            if (!KuryrDrivers.IsValidPair(pool, pod))
            {
                throw new PoolDriverException(
                    $"vif_pool_driver {pool} cannot serve pod_vif_driver {pod}; valid pool driver → pod VIF drivers: {KuryrDrivers.DescribeValidPairs()}");
            }

            IPoolDriver PortMaker() => pod switch
            {
                KuryrDrivers.NeutronVif => services.GetRequiredService<NeutronPoolDriver>(),
                KuryrDrivers.NestedVlan => nested ??= ActivatorUtilities.CreateInstance<NestedPoolDriver>(services),
                KuryrDrivers.NestedMacvlan => macvlan ??= ActivatorUtilities.CreateInstance<MacvlanPodVifDriver>(services),
                _ => throw new PoolDriverException(
                    $"pod_vif_driver {pod} is not supported by Kuryr.Node yet (supported: {KuryrDrivers.NeutronVif}, {KuryrDrivers.NestedVlan}, {KuryrDrivers.NestedMacvlan})"),
            };

            IPoolDriver driver = pool == KuryrDrivers.NoopPool ? new NoopPoolDriver(PortMaker()) : PortMaker();
            if (!result.Any(d => d.Name == driver.Name && d.PodVifDriver == driver.PodVifDriver))
            {
                result.Add(driver);
            }
        }

        return result;
    }
}
