using Kuryr.Assignments;
using Kuryr.Config.Options;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Drivers.MultiPool;
using Kuryr.Pools.Drivers.Nested;
using Kuryr.Pools.Drivers.Neutron;
using Kuryr.Pools.Drivers.Noop;
using Kuryr.Pools.Manager;
using Kuryr.Pools.Ownership;
using Kuryr.Pools.Recovery;
using Kuryr.Pools.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuryr.Pools.DependencyInjection;

/// <summary>Composition of the ports pools.</summary>
public static class PoolsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the pools: Redis (a ConnectionMultiplexer from <c>[redis]</c>, unless one is registered),
    /// the state store, the population lock, the ownership tags, the pool drivers chosen by
    /// <c>[kubernetes] vif_pool_driver</c> (<c>multi_pool</c>: every driver <c>vif_pool_mapping</c>
    /// names), the driver selector and the <see cref="IVifPool"/> manager. Needs the options
    /// (<c>AddKuryrConfig</c>), <c>AddNeutronClient</c> and, for multi_pool, <c>AddKubernetesClient</c>.
    /// </summary>
    public static IServiceCollection AddKuryrPools(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IConnectionMultiplexer>(sp => KuryrRedis.Connect(sp.GetRequiredService<IOptions<RedisOptions>>().Value));
        services.TryAddSingleton(sp =>
        {
            var redis = sp.GetRequiredService<IOptions<RedisOptions>>().Value;
            return new RedisKeys(redis.KeyPrefix, redis.Database);
        });
        services.TryAddSingleton<IPoolStateStore, RedisPoolStateStore>();
        services.TryAddSingleton<IPopulateLockService, RedisPopulateLockService>();
        services.TryAddSingleton<IPoolMetadata, RedisPoolMetadata>();
        services.TryAddSingleton<IPortOwnership, PortOwnership>();
        services.TryAddSingleton<ISubnetCache, SubnetCache>();
        services.TryAddSingleton<IDefaultSecurityGroups, DefaultSecurityGroups>();
        services.TryAddSingleton<NeutronPoolDriver>();
        services.TryAddSingleton<PoolMetrics>();
        services.TryAddSingleton<IPoolEvents, NullPoolEvents>();
        services.TryAddSingleton<IPoolReadiness>(sp => new PoolReadiness(sp.GetService<IPoolRecovery>()));
        services.TryAddSingleton<IPoolDriverSelector, PoolDriverSelector>();
        services.TryAddSingleton<VifPoolManager>();
        services.TryAddSingleton<IVifPool>(sp => sp.GetRequiredService<VifPoolManager>());
        services.TryAddSingleton<IPoolRecycler>(sp => sp.GetRequiredService<VifPoolManager>());

        // The drivers are decided by configuration when the provider first needs them. Registering
        // IEnumerable<IPoolDriver> itself makes every consumer (selector, recovery, GC) see exactly
        // the configured drivers, whatever driver packages added as enumerable entries.
        services.AddNestedPoolDriver();
        services.RemoveAll<IEnumerable<IPoolDriver>>();
        services.AddSingleton<IEnumerable<IPoolDriver>>(ConfiguredDrivers.Build);
        return services;
    }
}
