using System.Diagnostics;
using Kuryr.Agent.Cni;
using Kuryr.Agent.Hosting;
using Kuryr.Agent.Vifs;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Health;

/// <summary>Names and tags of the agent's health checks.</summary>
public static class AgentHealthCheckNames
{
    public const string ReadyTag = "ready";
    public const string AliveTag = "alive";

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
internal sealed class KubernetesApiCheck(IKubernetesClient api, AgentNode node, TimeProvider time) : IHealthCheck, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HealthCheckResult _last;
    private long _lastAt;
    private bool _has;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_has && time.GetElapsedTime(_lastAt) < TimeSpan.FromSeconds(2))
            {
                return _last;
            }

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                var n = await api.TryGetAsync(KubernetesResources.Nodes, null, node.Name, cts.Token).ConfigureAwait(false);
                _last = HealthCheckResult.Healthy(n is null ? $"API server answers (node {node.Name} not found)" : "API server answers");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _last = HealthCheckResult.Unhealthy("API server: no answer within 5 s");
            }
#pragma warning disable CA1031 // any failure is the probe's answer
            catch (Exception e)
#pragma warning restore CA1031
            {
                _last = HealthCheckResult.Unhealthy("API server: " + e.GetType().Name + ": " + e.Message);
            }

            _lastAt = time.GetTimestamp();
            _has = true;
            return _last;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
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
internal sealed class MemoryCheck(IOptions<CniHealthServerOptions> health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var max = health.Value.MaxMemoryUsage;
        using var process = Process.GetCurrentProcess();
        var mib = process.WorkingSet64 / (1024.0 * 1024.0);
        return Task.FromResult(max < 0 || mib <= max
            ? HealthCheckResult.Healthy($"{mib:0} MiB")
            : HealthCheckResult.Unhealthy($"working set {mib:0} MiB above max_memory_usage {max} MiB"));
    }
}
