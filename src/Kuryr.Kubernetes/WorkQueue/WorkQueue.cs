using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.WorkQueue;

/// <summary>
/// client-go's workqueue (Type + delaying + rate limiting) in one class. All state sits behind one
/// lock: <c>_queue</c> (FIFO of keys ready to be taken), <c>_dirty</c> (keys that need processing:
/// queued, or re-added while processing), <c>_processing</c> (keys a worker holds), <c>_waiting</c>
/// (delayed keys and the TimeProvider timestamp when they are due, served by one <see cref="ITimer"/> from the TimeProvider).
/// </summary>
internal sealed partial class WorkQueue<TKey> : IWorkQueue<TKey>
    where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly LinkedList<TaskCompletionSource<WorkItem<TKey>>> _getters = new();
    private readonly Dictionary<TKey, long> _waiting = [];
    private readonly PriorityQueue<TKey, long> _waitingByTime = new();
    private readonly List<TaskCompletionSource> _drainers = [];
    private readonly TimeProvider _time;
    private readonly IWorkQueueRateLimiter<TKey> _rateLimiter;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private long? _timerDue;
    private bool _shuttingDown;
    private bool _disposed;

    public WorkQueue(string name, IWorkQueueRateLimiter<TKey> rateLimiter, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _rateLimiter = rateLimiter;
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(static s => ((WorkQueue<TKey>)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public string Name { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Keys currently held by workers (for tests and diagnostics).</summary>
    internal int ProcessingCount
    {
        get
        {
            lock (_gate)
            {
                return _processing.Count;
            }
        }
    }

    /// <summary>Keys waiting for their delay (for tests and diagnostics).</summary>
    internal int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            AddLocked(key);
        }
    }

    public void AddAfter(TKey key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            if (delay <= TimeSpan.Zero)
            {
                AddLocked(key);
                return;
            }

            var due = _time.GetTimestamp() + (long)Math.Ceiling(delay.TotalSeconds * _time.TimestampFrequency);
            if (_waiting.TryGetValue(key, out var existing) && existing <= due)
            {
                return;
            }

            _waiting[key] = due;
            _waitingByTime.Enqueue(key, due);
            ArmTimerLocked();
        }
    }

    public void AddRateLimited(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (IsShuttingDown)
        {
            return;
        }

        var delay = _rateLimiter.NextDelay(key);
        var retry = _rateLimiter.NumRequeues(key);
        Log.Requeued(_logger, Name, key, retry, delay);
        AddAfter(key, delay);
    }

    public void Forget(TKey key) => _rateLimiter.Forget(key);

    public int NumRequeues(TKey key) => _rateLimiter.NumRequeues(key);

    public ValueTask<WorkItem<TKey>> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<WorkItem<TKey>> tcs;
        LinkedListNode<TaskCompletionSource<WorkItem<TKey>>> node;
        lock (_gate)
        {
            if (_queue.TryDequeue(out var key))
            {
                _processing.Add(key);
                _dirty.Remove(key);
                return new(new WorkItem<TKey>(key, false));
            }

            if (_shuttingDown)
            {
                return new(new WorkItem<TKey>(default!, true));
            }

            tcs = new TaskCompletionSource<WorkItem<TKey>>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _getters.AddLast(tcs);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    // Under the lock: either a key was already handed to this getter (it keeps it:
                    // the result wins), or it is still listed and leaves the list here.
                    if (node.List is not null)
                    {
                        _getters.Remove(node);
                        tcs.TrySetCanceled(cancellationToken);
                    }
                }
            });
            _ = tcs.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return new(tcs.Task);
    }

    public void Done(TKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_processing.Remove(key))
            {
                throw new InvalidOperationException($"Work queue '{Name}': Done({key}) for a key that is not being processed.");
            }

            if (_dirty.Contains(key))
            {
                EnqueueLocked(key);
            }

            if (_processing.Count == 0 && _drainers.Count > 0)
            {
                foreach (var d in _drainers)
                {
                    d.TrySetResult();
                }

                _drainers.Clear();
            }
        }
    }

    public void ShutDown()
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            _shuttingDown = true;
            _waiting.Clear();
            _waitingByTime.Clear();
            _timerDue = null;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

            // The queue is empty whenever getters wait, so every waiting getter learns of the shutdown.
            foreach (var g in _getters)
            {
                g.TrySetResult(new WorkItem<TKey>(default!, true));
            }

            _getters.Clear();
        }

        Log.ShuttingDown(_logger, Name);
    }

    public async Task ShutDownWithDrainAsync(CancellationToken cancellationToken = default)
    {
        ShutDown();
        Task wait;
        lock (_gate)
        {
            if (_processing.Count == 0)
            {
                return;
            }

            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _drainers.Add(tcs);
            wait = tcs.Task;
        }

        await wait.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        ShutDown();
        _timer.Dispose();
    }

    private void AddLocked(TKey key)
    {
        if (_shuttingDown || !_dirty.Add(key))
        {
            return;
        }

        if (_processing.Contains(key))
        {
            // Held by a worker: Done() queues it again.
            return;
        }

        EnqueueLocked(key);
    }

    private void EnqueueLocked(TKey key)
    {
        // Hand the key straight to the oldest waiting getter, or queue it.
        while (_getters.First is { } first)
        {
            _getters.RemoveFirst();
            _processing.Add(key);
            _dirty.Remove(key);
            if (first.Value.TrySetResult(new WorkItem<TKey>(key, false)))
            {
                return;
            }

            // That getter was cancelled in a race; undo and try the next one.
            _processing.Remove(key);
            _dirty.Add(key);
        }

        _queue.Enqueue(key);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerDue = null;
            if (_shuttingDown)
            {
                return;
            }

            var now = _time.GetTimestamp();
            while (_waitingByTime.TryPeek(out var key, out var due) && due <= now)
            {
                _waitingByTime.Dequeue();
                if (_waiting.TryGetValue(key, out var current) && current == due)
                {
                    _waiting.Remove(key);
                    AddLocked(key);
                }
            }

            ArmTimerLocked();
        }
    }

    private void ArmTimerLocked()
    {
        // Drop stale heap entries (keys whose time was moved earlier) from the top.
        while (_waitingByTime.TryPeek(out var key, out var due) && (!_waiting.TryGetValue(key, out var current) || current != due))
        {
            _waitingByTime.Dequeue();
        }

        if (!_waitingByTime.TryPeek(out _, out var next))
        {
            return;
        }

        if (_timerDue is { } armed && armed <= next)
        {
            return;
        }

        _timerDue = next;
        var delay = _time.GetElapsedTime(_time.GetTimestamp(), next);
        _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
