using Kuryr.Config.Options;
using Kuryr.Pools.GarbageCollection;
using Kuryr.Pools.Recovery;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class GarbageCollectionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ILeakedPortCollector"/> (grace period: <c>[vif_pool] gc_grace_period</c>;
    /// interval: <c>[vif_pool] gc_interval</c> unless <paramref name="configure"/> sets another).
    /// Needs <c>AddKuryrPools()</c> (drivers, state store, ownership), <c>AddNeutronClient()</c> and an
    /// <c>IKubernetesClient</c>; the host runs <see cref="ILeakedPortCollector.RunAsync"/> on the leader.
    /// </summary>
    public static IServiceCollection AddKuryrPortGarbageCollection(this IServiceCollection services, Action<LeakedPortCollectorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LeakedPortCollectorOptions>()
            .Configure<IOptions<VifPoolOptions>>((o, pool) => o.Interval = pool.Value.GcInterval);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKuryrPortReferences, KuryrPortReferences>();
        services.TryAddSingleton<ILeakedPortCollector, LeakedPortCollector>();
        return services;
    }
}
