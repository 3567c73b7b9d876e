using Kuryr.Controller.Handlers.KuryrNetworks;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuryr.Controller.Handlers.Namespaces;

/// <summary>Composition of the namespace-side handlers (<c>namespace</c>, <c>kuryrnetwork</c>, <c>kuryrnetwork_population</c>).</summary>
public static class NamespaceHandlersServiceCollectionExtensions
{
    /// <summary>Adds the <c>namespace</c> (on namespaces, plus its pod side on pods), <c>kuryrnetwork</c> and
    /// <c>kuryrnetwork_population</c> handlers, the namespace subnet driver and the namespace prepopulation.
    /// Needs the Kuryr config, <c>AddNeutronClient</c>, <c>AddKubernetesClient</c> and <c>AddKuryrPools</c>.</summary>
    public static IServiceCollection AddKuryrNamespaceHandlers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<NamespaceSubnetDriver>();
        services.AddKuryrNamespacePrepopulation();
        services.AddResourceHandler<Namespace, NamespaceHandler>("namespace", KubernetesResources.Namespaces);
        services.AddResourceHandler<Pod, NamespacePodHandler>("namespace", KubernetesResources.Pods);
        services.AddResourceHandler<KuryrNetwork, KuryrNetworkHandler>("kuryrnetwork", KubernetesResources.KuryrNetworks);
        services.AddResourceHandler<KuryrNetwork, KuryrNetworkPopulationHandler>("kuryrnetwork_population", KubernetesResources.KuryrNetworks);
        return services;
    }
}
