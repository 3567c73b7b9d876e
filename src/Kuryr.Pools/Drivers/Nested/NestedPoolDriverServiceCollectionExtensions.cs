using Kuryr.Pools.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuryr.Pools.Drivers.Nested;

/// <summary>DI composition of the <c>nested</c> pool driver.</summary>
public static class NestedPoolDriverServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>nested</c> <see cref="IPoolDriver"/> (pod_vif <c>nested-vlan</c>) and the
    /// per-trunk <see cref="IVlanReservations"/>. Needs, registered elsewhere: <c>INeutronClient</c>
    /// (<c>AddNeutronClient</c>), <see cref="IPoolStateStore"/>, <see cref="RedisKeys"/> and an
    /// <c>IConnectionMultiplexer</c>, <c>IPortOwnership</c>, <see cref="TimeProvider"/>, and the
    /// options <c>[pod_vif_nested]</c>, <c>[kubernetes]</c>, <c>[vif_pool]</c> (<c>AddKuryrConfig</c>).
    /// </summary>
    public static IServiceCollection AddNestedPoolDriver(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IVlanReservations, RedisVlanReservations>();
        services.TryAddSingleton<NodeTrunks>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPoolDriver, NestedPoolDriver>());
        return services;
    }
}
