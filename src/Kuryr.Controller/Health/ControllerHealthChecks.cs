using Kuryr.Config;
using Kuryr.Config.Options;
using Kuryr.Controller.Handlers.Pipeline;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.LeaderElection;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron;
using Kuryr.Observability.Health;
using Kuryr.Pools.Manager;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Health;

/// <summary>Names and tags of the controller's health checks.</summary>
public static class ControllerHealthCheckNames
{
    public const string ReadyTag = HealthProbeServer.ReadyTag;
    public const string AliveTag = HealthProbeServer.AliveTag;

    public const string Pools = "pools";
    public const string Caches = "caches";
    public const string KubernetesApi = "kubernetes_api";
    public const string Neutron = "neutron";
    public const string Handlers = "handlers";
    public const string Informers = "informers";
    public const string Memory = "memory";
}

/// <summary>/ready: the leader's pools are recovered (a standby and the noop pool driver skip this).</summary>
internal sealed class PoolsRecoveredCheck(IPoolReadiness readiness, ILeaderElector elector, IOptions<KubernetesOptions> kubernetes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (kubernetes.Value.VifPoolDriver == KuryrDrivers.NoopPool)
        {
            return Task.FromResult(HealthCheckResult.Healthy("vif_pool_driver is noop: no pools"));
        }

        if (!elector.IsLeader)
        {
            return Task.FromResult(HealthCheckResult.Healthy("standby: the leader recovers the pools"));
        }

        return Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy("pools recovered")
            : HealthCheckResult.Unhealthy("pools not recovered yet"));
    }
}

/// <summary>/ready: every informer listed its resource.</summary>
internal sealed class CachesSyncedCheck(IHandlerPipeline pipeline) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(pipeline.HasSynced
            ? HealthCheckResult.Healthy($"{pipeline.Handlers.Count} handler(s), caches synced")
            : HealthCheckResult.Unhealthy("informer caches not synced yet"));
}

/// <summary>/ready: the API server answers (reads the leader Lease: proves reachability and credentials).</summary>
internal sealed class KubernetesApiCheck(IKubernetesClient api, IOptions<LeaderElectionOptions> lease, TimeProvider time)
    : CachedProbeCheck(time, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2))
{
    protected override async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var o = lease.Value;
        await api.TryGetAsync(KubernetesResources.Leases, o.LeaseNamespace, o.LeaseName, cancellationToken).ConfigureAwait(false);
        return HealthCheckResult.Healthy("API server answers");
    }
}

/// <summary>/ready: Neutron answers <c>GET /extensions</c>.</summary>
internal sealed class NeutronCheck(INeutronClient neutron, TimeProvider time)
    : CachedProbeCheck(time, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5))
{
    protected override async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var extensions = await neutron.ListExtensionsAsync(cancellationToken).ConfigureAwait(false);
        return HealthCheckResult.Healthy($"Neutron answers ({extensions.Count} extensions)");
    }
}

/// <summary>/alive: no handler spends longer than <c>[health_server] handler_stuck_timeout</c> on one event.</summary>
internal sealed class HandlersNotStuckCheck(IHandlerPipeline pipeline, IOptions<HealthServerOptions> health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = TimeSpan.FromSeconds(health.Value.HandlerStuckTimeoutSeconds);
        var stuck = pipeline.GetActivity().Where(a => a.LongestInProgress > limit).ToList();
        return Task.FromResult(stuck.Count == 0
            ? HealthCheckResult.Healthy("no handler stuck")
            : HealthCheckResult.Unhealthy(string.Join("; ", stuck.Select(a =>
                $"handler {a.Name} stuck on {a.OldestKey} for {a.LongestInProgress.TotalSeconds:0} s (handler_stuck_timeout {limit.TotalSeconds:0} s)"))));
    }
}

/// <summary>/alive: the informers run.</summary>
internal sealed class InformersRunningCheck(IHandlerPipeline pipeline) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(pipeline.InformersRunning
            ? HealthCheckResult.Healthy("informers running")
            : HealthCheckResult.Unhealthy("informers not running"));
}

/// <summary>/alive: working set below <c>[health_server] max_memory_usage</c> MiB (-1: off).</summary>
internal sealed class MemoryCheck(IOptions<HealthServerOptions> health) : WorkingSetCheck
{
    protected override int MaxMemoryUsage => health.Value.MaxMemoryUsage;
}
