using System.Diagnostics;
using Kuryr.Config;
using Kuryr.Config.Options;
using Kuryr.Controller.Handlers.Pipeline;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.LeaderElection;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron;
using Kuryr.Pools.Manager;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Health;

/// <summary>Names and tags of the controller's health checks.</summary>
public static class ControllerHealthCheckNames
{
    public const string ReadyTag = "ready";
    public const string AliveTag = "alive";

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

/// <summary>Runs a probe at most once per <paramref name="cacheFor"/>, with a timeout (Neutron serves one request at a time).</summary>
internal abstract class CachedProbeCheck(TimeProvider time, TimeSpan timeout, TimeSpan cacheFor) : IHealthCheck, IDisposable
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
            if (_has && time.GetElapsedTime(_lastAt) < cacheFor)
            {
                return _last;
            }

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                _last = await ProbeAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _last = HealthCheckResult.Unhealthy($"no answer within {timeout.TotalSeconds:0.#} s");
            }
#pragma warning disable CA1031 // Any failure is the probe's answer.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _last = HealthCheckResult.Unhealthy(e.GetType().Name + ": " + e.Message);
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

    protected abstract Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken);

    public void Dispose() => _gate.Dispose();
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
internal sealed class MemoryCheck(IOptions<HealthServerOptions> health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var max = health.Value.MaxMemoryUsage;
        using var process = Process.GetCurrentProcess();
        var mib = process.WorkingSet64 / (1024.0 * 1024.0);
        if (max < 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{mib:0} MiB (no limit)"));
        }

        return Task.FromResult(mib <= max
            ? HealthCheckResult.Healthy($"{mib:0} MiB of {max} MiB")
            : HealthCheckResult.Unhealthy($"working set {mib:0} MiB above max_memory_usage {max} MiB"));
    }
}
