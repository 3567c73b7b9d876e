using System.Threading.RateLimiting;

namespace Kuryr.Kubernetes.Client;

/// <summary>
/// Client-side QPS/burst limit (token bucket, like client-go's): a request over the rate waits for a
/// token instead of failing. Tokens are added one per <c>1/qps</c> by a timer of the injected
/// <see cref="TimeProvider"/>, so tests drive it deterministically.
/// </summary>
internal sealed class KubernetesRequestLimiter : IDisposable
{
    private readonly TokenBucketRateLimiter? _limiter;
    private readonly ITimer? _timer;

    public KubernetesRequestLimiter(double qps, int burst, TimeProvider timeProvider)
    {
        if (qps <= 0)
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        var period = TimeSpan.FromSeconds(1 / qps);
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = period,
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _timer = timeProvider.CreateTimer(static s => ((TokenBucketRateLimiter)s!).TryReplenish(), _limiter, period, period);
    }

    /// <summary>Waits for a token (no-op when the limit is off).</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        if (_limiter is null)
        {
            return;
        }

        using var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("Kubernetes client rate limiter refused a request");
        }
    }

    /// <summary>Queued requests and available tokens (null when the limit is off).</summary>
    public RateLimiterStatistics? GetStatistics() => _limiter?.GetStatistics();

    public void Dispose()
    {
        _timer?.Dispose();
        _limiter?.Dispose();
    }
}
