namespace Kuryr.Kubernetes.Client;

/// <summary>
/// Client-side QPS/burst limit (a token bucket, like client-go's): up to <c>burst</c> requests go at
/// once, then one per <c>1/qps</c>; a request over the rate waits, first come first served, instead of
/// failing. Time comes from the injected <see cref="TimeProvider"/> so tests drive it
/// deterministically. (System.Threading.RateLimiting's TokenBucketRateLimiter measures elapsed time
/// with Stopwatch even when replenished by hand, so it cannot follow a test clock.)
/// </summary>
internal sealed class KubernetesRequestLimiter : IDisposable
{
    private const double Epsilon = 1e-9;
    private readonly object _gate = new();
    private readonly Queue<Waiter> _waiters = new();
    private readonly TimeProvider _time;
    private readonly double _qps;
    private readonly int _burst;
    private readonly ITimer? _timer;
    private double _tokens;
    private long _last;
    private bool _timerArmed;
    private long _delayed;

    public KubernetesRequestLimiter(double qps, int burst, TimeProvider timeProvider)
    {
        _time = timeProvider;
        _qps = qps;
        if (qps <= 0)
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _burst = burst;
        _tokens = burst;
        _last = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static s => ((KubernetesRequestLimiter)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public bool Enabled => _timer is not null;

    /// <summary>Requests waiting for a token now.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Requests that had to wait since the start.</summary>
    public long DelayedCount => Interlocked.Read(ref _delayed);

    /// <summary>Whole tokens available now.</summary>
    public int AvailableTokens
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return (int)(_tokens + Epsilon);
            }
        }
    }

    /// <summary>Waits for a token (no-op when the limit is off).</summary>
    public ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        if (_timer is null)
        {
            return ValueTask.CompletedTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_gate)
        {
            Refill();
            if (_waiters.Count == 0 && _tokens + Epsilon >= 1)
            {
                _tokens -= 1;
                return ValueTask.CompletedTask;
            }

            waiter = new Waiter();
            _waiters.Enqueue(waiter);
            Interlocked.Increment(ref _delayed);
            ArmTimer();
        }

        return new ValueTask(WaitAsync(waiter, cancellationToken));
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            while (_waiters.TryDequeue(out var w))
            {
                w.Completion.TrySetException(new ObjectDisposedException(nameof(KubernetesRequestLimiter)));
            }
        }
    }

    private async Task WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                if (waiter.Completion.TrySetCanceled(cancellationToken))
                {
                    var rest = _waiters.Where(w => w != waiter).ToList();
                    _waiters.Clear();
                    rest.ForEach(_waiters.Enqueue);
                }
            }
        });
        await waiter.Completion.Task.ConfigureAwait(false);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerArmed = false;
            Refill();
            while (_waiters.Count > 0 && _tokens + Epsilon >= 1)
            {
                var w = _waiters.Dequeue();
                if (w.Completion.TrySetResult())
                {
                    _tokens -= 1;
                }
            }

            if (_waiters.Count > 0)
            {
                ArmTimer();
            }
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _qps));
        _last = now;
    }

    private void ArmTimer()
    {
        if (_timerArmed)
        {
            return;
        }

        var seconds = Math.Max(0, (1 - _tokens) / _qps);
        var due = TimeSpan.FromTicks(Math.Max(1, (long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond - Epsilon)));
        _timerArmed = true;
        _timer!.Change(due, Timeout.InfiniteTimeSpan);
    }

    private sealed class Waiter
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
