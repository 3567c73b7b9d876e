using Kuryr.Controller.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Kuryr.Controller.Health;

/// <summary>Composition of the controller's health server.</summary>
public static class HealthServiceCollectionExtensions
{
    /// <summary>Adds the /ready and /alive checks and the health server (needs the pipeline, the leader elector, the pools, Neutron and Kubernetes clients).</summary>
    public static IServiceCollection AddKuryrControllerHealth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ControllerEndpoints>();
        string[] ready = [ControllerHealthCheckNames.ReadyTag];
        string[] alive = [ControllerHealthCheckNames.AliveTag];
        services.AddHealthChecks()
            .AddCheck<CachesSyncedCheck>(ControllerHealthCheckNames.Caches, tags: ready)
            .AddCheck<KubernetesApiCheck>(ControllerHealthCheckNames.KubernetesApi, tags: ready)
            .AddCheck<NeutronCheck>(ControllerHealthCheckNames.Neutron, tags: ready)
            .AddCheck<PoolsRecoveredCheck>(ControllerHealthCheckNames.Pools, tags: ready)
            .AddCheck<HandlersNotStuckCheck>(ControllerHealthCheckNames.Handlers, tags: alive)
            .AddCheck<InformersRunningCheck>(ControllerHealthCheckNames.Informers, tags: alive)
            .AddCheck<MemoryCheck>(ControllerHealthCheckNames.Memory, tags: alive);

        // The probes keep state (cached answers): one instance each.
        services.TryAddSingleton<KubernetesApiCheck>();
        services.TryAddSingleton<NeutronCheck>();
        services.AddSingleton<IHostedService, HealthServer>();
        return services;
    }
}
