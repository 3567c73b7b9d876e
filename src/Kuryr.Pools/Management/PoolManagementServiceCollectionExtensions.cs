using Kuryr.Config.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Kuryr.Pools.Management;

/// <summary>Composition of the pool management API.</summary>
public static class PoolManagementServiceCollectionExtensions
{
    /// <summary>
    /// Adds the pool management API on <c>[pool_manager] sock_file</c> as a hosted service (and as
    /// <see cref="IPoolManagementServer"/>). Changes are allowed by the registered
    /// <see cref="IManagementGate"/> (default: always; the controller registers
    /// <c>ManagementGate.FromLeader(...)</c>). Needs <c>AddKuryrPools</c>.
    /// </summary>
    public static IServiceCollection AddKuryrPoolManagement(this IServiceCollection services, Action<PoolManagerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PoolManagerOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddLogging();
        services.TryAddSingleton<IManagementGate, OpenManagementGate>();
        services.TryAddSingleton<PoolManagementHandler>();
        services.TryAddSingleton<PoolManagementServer>();
        services.TryAddSingleton<IPoolManagementServer>(sp => sp.GetRequiredService<PoolManagementServer>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PoolManagementServer>());
        return services;
    }
}
