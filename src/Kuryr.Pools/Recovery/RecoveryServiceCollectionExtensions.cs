using Kuryr.Pools.Recovery;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class RecoveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPoolRecovery"/> and <see cref="IKuryrPortReferences"/>. Needs what
    /// <c>AddKuryrPools()</c> registers (state store, population locks, Redis, pool drivers),
    /// and an <c>IKubernetesClient</c>. The manager's readiness is <see cref="IPoolRecovery.IsRecovered"/>;
    /// the host runs <see cref="IPoolRecovery.RunAsync"/>.
    /// </summary>
    public static IServiceCollection AddKuryrPoolRecovery(this IServiceCollection services, Action<PoolRecoveryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PoolRecoveryOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKuryrPortReferences, KuryrPortReferences>();
        services.TryAddSingleton<IPoolRecovery, PoolRecovery>();
        return services;
    }
}
