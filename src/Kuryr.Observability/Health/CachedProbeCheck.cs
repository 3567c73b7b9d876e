using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuryr.Observability.Health;

/// <summary>
/// A health check that asks a remote service (API server, Neutron) at most once per
/// <paramref name="cacheFor"/>, one probe at a time, each within <paramref name="timeout"/>: probes
/// from kubelet must not pile up on a service that serves few requests at once. A timeout or an
/// exception is the answer (Unhealthy, prefixed by <paramref name="failurePrefix"/>). Register it as a singleton.
/// </summary>
public abstract class CachedProbeCheck(TimeProvider time, TimeSpan timeout, TimeSpan cacheFor, string failurePrefix = "") : IHealthCheck, IDisposable
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
                _last = HealthCheckResult.Unhealthy($"{failurePrefix}no answer within {timeout.TotalSeconds:0.#} s");
            }
#pragma warning disable CA1031 // Any failure is the probe's answer.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _last = HealthCheckResult.Unhealthy(failurePrefix + e.GetType().Name + ": " + e.Message);
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

    /// <summary>Asks the service once; throws or times out when it does not answer.</summary>
    protected abstract Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken);

    public void Dispose()
    {
        _gate.Dispose();
        GC.SuppressFinalize(this);
    }
}
