using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuryr.Observability.Health;

/// <summary>/alive: the process's working set is at most <see cref="MaxMemoryUsage"/> MiB (negative: no limit).</summary>
public abstract class WorkingSetCheck : IHealthCheck
{
    /// <summary>The limit in MiB (<c>max_memory_usage</c>); negative turns the check off.</summary>
    protected abstract int MaxMemoryUsage { get; }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var max = MaxMemoryUsage;
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
