using Kuryr.Kubernetes.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuryr.Kubernetes.Events;

/// <summary>Composition of the event recorder.</summary>
public static class EventRecorderServiceCollectionExtensions
{
    /// <summary>
    /// Adds an <see cref="IEventRecorder"/> reporting as <paramref name="component"/> (e.g.
    /// <c>kuryr-controller</c>); <paramref name="enabled"/> false (Kuryr's <c>use_events = False</c>)
    /// writes nothing. Needs <c>AddKubernetesClient</c>.
    /// </summary>
    public static IServiceCollection AddEventRecorder(this IServiceCollection services, string component, Func<IServiceProvider, bool>? enabled = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(component);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventRecorder>(sp => new EventRecorder(
            sp.GetRequiredService<IKubernetesClient>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<EventRecorder>>(),
            component,
            enabled?.Invoke(sp) ?? true));
        return services;
    }
}
