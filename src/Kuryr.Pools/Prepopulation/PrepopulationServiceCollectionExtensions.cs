using Kuryr.Pools.Prepopulation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class PrepopulationServiceCollectionExtensions
{
    /// <summary>Registers <see cref="INamespacePrepopulator"/> (needs <c>AddKuryrPools()</c>, the
    /// <c>[kubernetes]</c>/<c>[vif_pool]</c> options and an <c>IKubernetesClient</c>).</summary>
    public static IServiceCollection AddKuryrNamespacePrepopulation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<INamespacePrepopulator, NamespacePrepopulator>();
        return services;
    }
}
