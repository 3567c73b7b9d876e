using Kuryr.Agent.Cni;
using Kuryr.Agent.Hosting;
using Kuryr.Agent.Vifs;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Observability.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Health;

/// <summary>Names and tags of the agent's health checks.</summary>
public static class AgentHealthCheckNames
{
    public const string ReadyTag = HealthProbeServer.ReadyTag;
    public const string AliveTag = HealthProbeServer.AliveTag;

    public const string KuryrPorts = "kuryrports";
    public const string KubernetesApi = "kubernetes_api";
    public const string Socket = "cni_socket";
    public const string Requests = "cni_requests";
    public const string Informer = "informer";
    public const string Memory = "memory";
}

/// <summary>/ready: the KuryrPorts of this node are listed.</summary>
internal sealed class KuryrPortsSyncedCheck(IVifRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.HasSynced
            ? HealthCheckResult.Healthy("KuryrPorts of this node listed")
            : HealthCheckResult.Unhealthy("KuryrPort informer not synced yet"));
}

/// <summary>/ready: the API server answers reading this Node (answer cached 2 s, 5 s timeout).</summary>
internal sealed class KubernetesApiCheck(IKubernetesClient api, AgentNode node, TimeProvider time)
    : CachedProbeCheck(time, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), failurePrefix: "API server: ")
{
    protected override async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var n = await api.TryGetAsync(KubernetesResources.Nodes, null, node.Name, cancellationToken).ConfigureAwait(false);
        return HealthCheckResult.Healthy(n is null ? $"API server answers (node {node.Name} not found)" : "API server answers");
    }
}

/// <summary>/ready: the CNI socket listens.</summary>
internal sealed class SocketListeningCheck(CniActivity activity) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(activity.Listening && activity.SocketPath is { } path && File.Exists(path)
            ? HealthCheckResult.Healthy("listening on " + path)
            : HealthCheckResult.Unhealthy("CNI socket not listening"));
}

/// <summary>/alive: no CNI request runs longer than twice <c>[cni_daemon] vif_annotation_timeout</c> (an ADD waits at most one).</summary>
internal sealed class RequestsNotStuckCheck(CniActivity activity, IOptions<CniDaemonOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = options.Value.VifAnnotationTimeout * 2;
        var oldest = activity.Oldest();
        return Task.FromResult(oldest is { } o && o.Running > limit
            ? HealthCheckResult.Unhealthy($"CNI request {o.What} running for {o.Running.TotalSeconds:0} s (limit {limit.TotalSeconds:0} s)")
            : HealthCheckResult.Healthy("no CNI request stuck"));
    }
}

/// <summary>/alive: the KuryrPort informer runs.</summary>
internal sealed class InformerRunningCheck(IVifRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.IsRunning ? HealthCheckResult.Healthy("informer running") : HealthCheckResult.Unhealthy("KuryrPort informer not running"));
}

/// <summary>/alive: working set below <c>[cni_health_server] max_memory_usage</c> MiB (-1: off).</summary>
internal sealed class MemoryCheck(IOptions<CniHealthServerOptions> health) : WorkingSetCheck
{
    protected override int MaxMemoryUsage => health.Value.MaxMemoryUsage;
}
