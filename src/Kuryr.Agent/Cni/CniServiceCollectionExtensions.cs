using Kuryr.Agent.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Kuryr.Agent.Cni;

/// <summary>Composition of the CNI server.</summary>
public static class CniServiceCollectionExtensions
{
    /// <summary>
    /// Adds the request handler, the local plug records (<c>[cni_daemon] state_path</c>), the node pool
    /// status (Redis), <see cref="CniActivity"/> and the unix-socket server. Needs the VIF registry,
    /// an <see cref="Binding.IVifPlugger"/>, <see cref="AgentMetrics"/> and a Redis connection.
    /// </summary>
    public static IServiceCollection AddKuryrCniServer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CniActivity>();
        services.TryAddSingleton<AgentMetrics>();
        services.TryAddSingleton<IPlugRecords, FilePlugRecords>();
        services.TryAddSingleton<AttachmentLocks>();
        services.TryAddSingleton<INodePoolStatus, RedisNodePoolStatus>();
        services.TryAddSingleton<ICniRequestHandler, CniRequestHandler>();
        services.AddSingleton<IHostedService, CniServer>();
        return services;
    }
}
