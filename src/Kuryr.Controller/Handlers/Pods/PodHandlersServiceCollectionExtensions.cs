using Kuryr.Assignments;
using Kuryr.Controller.Handlers.KuryrPorts;
using Kuryr.Controller.PodNetwork;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuryr.Controller.Handlers.Pods;

/// <summary>Composition of the pod-side handlers (<c>vif</c>, <c>kuryrport</c>) and what they need.</summary>
public static class PodHandlersServiceCollectionExtensions
{
    /// <summary>Adds the <c>vif</c> and <c>kuryrport</c> handlers, the pod network resolver and the node VIF publisher.
    /// Needs AddKuryrConfig, AddKubernetesClient, AddNeutronClient, AddKuryrPools, AddEventRecorder and AddKuryrMultiVifDrivers.</summary>
    public static IServiceCollection AddKuryrPodHandlers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPodNetworkResolver, PodNetworkResolver>();
        services.TryAddSingleton<KuryrPortMetrics>();
        services.TryAddSingleton<VifReleaser>();
        services.AddKuryrNodeVifAssignments();
        services.AddResourceHandler<Pod, VifHandler>("vif", KubernetesResources.Pods);
        services.AddResourceHandler<KuryrPort, KuryrPortHandler>("kuryrport", KubernetesResources.KuryrPorts);
        return services;
    }
}
