using Kuryr.Pools.Manager;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuryr.Pools.Events;

/// <summary>DI for the pools' Kubernetes events.</summary>
public static class PoolEventsServiceCollectionExtensions
{
    /// <summary>Population failures become <c>FailToPopulateVIFPool</c> Warning events on the Node
    /// (needs an <c>IKubernetesClient</c>). Call before or after <c>AddKuryrPools</c>.</summary>
    public static IServiceCollection AddKuryrPoolEvents(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.RemoveAll<IPoolEvents>();
        services.AddSingleton<IPoolEvents, KubernetesPoolEvents>();
        return services;
    }
}
