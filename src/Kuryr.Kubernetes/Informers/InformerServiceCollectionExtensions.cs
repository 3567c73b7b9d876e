using Kuryr.Kubernetes.Informers;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI registration of the informer factory.</summary>
public static class InformerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IInformerFactory"/> (needs an <see cref="Kuryr.Kubernetes.Client.IKubernetesClient"/>
    /// and logging registered; adds <see cref="TimeProvider.System"/> unless a TimeProvider is registered).
    /// </summary>
    public static IServiceCollection AddKubernetesInformers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IInformerFactory, InformerFactory>();
        return services;
    }
}
