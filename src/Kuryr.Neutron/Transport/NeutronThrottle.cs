using System.Threading.RateLimiting;
using Kuryr.Config.Options;
using Kuryr.Neutron.Diagnostics;
using Microsoft.Extensions.Options;

namespace Kuryr.Neutron.Transport;

/// <summary>
/// Process-wide protection of Neutron (a DI singleton): a token bucket on every request
/// (<c>requests_per_second</c>, <c>requests_burst</c>; 0 = off) and a cap on concurrent bulk
/// creates (<c>bulk_create_concurrency</c>). Over-budget callers wait in FIFO order; nothing is
/// dropped. The bucket refills on the wall clock: <see cref="TokenBucketRateLimiter"/> reads
/// <c>Stopwatch</c> itself even when replenished by hand, so a <see cref="TimeProvider"/> cannot drive it.
/// </summary>
internal sealed class NeutronThrottle : IDisposable
{
    private readonly TokenBucketRateLimiter? _rate;
    private readonly ConcurrencyLimiter _bulk;
    private readonly NeutronMetrics _metrics;

    public NeutronThrottle(IOptions<NeutronOptions> options, NeutronMetrics metrics)
    {
        var o = options.Value;
        _metrics = metrics;
        if (o.RequestsPerSecond > 0)
        {
            // One token every 1/rps seconds (so 0.5 rps means one token every 2 s).
            var period = TimeSpan.FromSeconds(1 / o.RequestsPerSecond);
            _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, o.RequestsBurst),
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period,
                AutoReplenishment = true,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        BulkCreateConcurrency = Math.Max(1, o.BulkCreateConcurrency);
        _bulk = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = BulkCreateConcurrency,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public int BulkCreateConcurrency { get; }

    /// <summary>Requests currently waiting for a rate-limit token.</summary>
    public long RateLimitQueued => _rate?.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Tokens left in the bucket (<see cref="long.MaxValue"/> when the limit is off).</summary>
    public long RateLimitAvailable => _rate is null ? long.MaxValue : _rate.GetStatistics()?.CurrentAvailablePermits ?? 0;

    /// <summary>Bulk creates currently waiting for a slot.</summary>
    public long BulkCreateQueued => _bulk.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Waits for one request token (no-op when the limit is off).</summary>
    public async ValueTask AcquireRequestAsync(CancellationToken cancellationToken)
    {
        if (_rate is null)
        {
            return;
        }

        var lease = _rate.AttemptAcquire(1);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            _metrics.RateLimitWaitStarted();
            try
            {
                lease = await _rate.AcquireAsync(1, cancellationToken);
            }
            finally
            {
                _metrics.RateLimitWaitFinished();
            }
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("Neutron rate limiter refused a request");
            }
        }
    }

    /// <summary>Waits for a bulk-create slot; dispose the result to free it.</summary>
    public async ValueTask<IDisposable> AcquireBulkCreateAsync(CancellationToken cancellationToken)
    {
        var lease = await _bulk.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw new InvalidOperationException("Neutron bulk-create limiter refused a request");
        }

        _metrics.BulkCreateStarted();
        return new BulkSlot(lease, _metrics);
    }

    public void Dispose()
    {
        _rate?.Dispose();
        _bulk.Dispose();
    }

    private sealed class BulkSlot(RateLimitLease lease, NeutronMetrics metrics) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                metrics.BulkCreateFinished();
                lease.Dispose();
            }
        }
    }
}
