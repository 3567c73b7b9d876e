using Kuryr.Kubernetes.WorkQueue;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI registration of the work queue factory.</summary>
public static class WorkQueueServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IWorkQueueFactory"/> (and <see cref="TimeProvider.System"/> unless a TimeProvider is registered). Needs logging (ILoggerFactory) registered..</summary>
    public static IServiceCollection AddKubernetesWorkQueues(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWorkQueueFactory, WorkQueueFactory>();
        return services;
    }
}
