using Kuryr.Controller.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuryr.Controller.Handlers.Pipeline;

/// <summary>Composition of the handler pipeline.</summary>
public static class HandlerPipelineServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IHandlerPipeline"/> (needs the kuryr.conf options, <c>AddKubernetesClient</c> and the
    /// handler registrations). The informer and work-queue factories are added too.
    /// </summary>
    public static IServiceCollection AddKuryrHandlerPipeline(this IServiceCollection services, Action<HandlerPipelineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<HandlerPipelineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddMetrics();
        services.AddKubernetesInformers();
        services.AddKubernetesWorkQueues();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ControllerMetrics>();
        services.TryAddSingleton<IHandlerPipeline, HandlerPipeline>();
        return services;
    }
}
