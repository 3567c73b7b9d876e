using Kuryr.Agent.Hosting;
using Kuryr.Assignments;
using Kuryr.Kubernetes.Informers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Kuryr.Agent.Vifs;

/// <summary>Composition of the agent's VIF registry.</summary>
public static class VifsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IVifRegistry"/> (needs <see cref="AgentNode"/>, the Kubernetes client; uses
    /// <see cref="INodeVifReader"/> when registered: call <c>AddKuryrNodeVifAssignments()</c> for the Redis fast path).
    /// </summary>
    public static IServiceCollection AddKuryrVifRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.AddKubernetesInformers();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IVifRegistry>(sp => new VifRegistry(
            sp.GetRequiredService<IInformerFactory>(),
            sp.GetRequiredService<AgentNode>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<VifRegistry>>(),
            sp.GetService<INodeVifReader>(),
            sp.GetService<INodeVifReader>() is null ? null : sp.GetService<IConnectionMultiplexer>()));
        return services;
    }
}
