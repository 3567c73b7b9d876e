using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Kuryr.Config.Options;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Drivers.MultiPool;
using Kuryr.Pools.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Manager;

/// <summary>
/// The pools' front door (<see cref="IVifPool"/>): takes from Redis, swaps security groups,
/// populates under the per-pool lock, refills in the background, recycles released ports.
/// An empty security-group set ("the project's default") is resolved to the explicit id of the
/// project's <c>default</c> group first (<see cref="IDefaultSecurityGroups"/>), so buckets,
/// populations, swaps and recycling never deal with an ambiguous empty set.
/// </summary>
internal sealed partial class VifPoolManager : IVifPool, IPoolRecycler, IAsyncDisposable
{
    /// <summary>How many times a request retries after populating an empty pool whose new ports
    /// were taken by newer requests.</summary>
    internal const int TakeAttempts = 5;

    private static readonly TimeSpan LockPollFirst = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LockPollMax = TimeSpan.FromSeconds(2);

    /// <summary>TTL of a held population lock, renewed every third of it while the population runs:
    /// a controller killed mid-population blocks the pool for at most this long, not for
    /// <c>populate_lock_timeout</c> (which stays the time a populator waits for the lock).</summary>
    internal static readonly TimeSpan LockLease = TimeSpan.FromSeconds(15);

    private readonly IPoolDriverSelector _drivers;
    private readonly IDefaultSecurityGroups _defaultGroups;
    private readonly IPoolStateStore _store;
    private readonly IPopulateLockService _locks;
    private readonly IPoolMetadata _metadata;
    private readonly IOptions<VifPoolOptions> _options;
    private readonly IPoolReadiness _readiness;
    private readonly IPoolEvents _events;
    private readonly TimeProvider _time;
    private readonly PoolMetrics _metrics;
    private readonly ILogger<VifPoolManager> _logger;
    private readonly ConcurrentDictionary<PoolKey, Task> _refills = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    public VifPoolManager(
        IPoolDriverSelector drivers,
        IDefaultSecurityGroups defaultGroups,
        IPoolStateStore store,
        IPopulateLockService locks,
        IPoolMetadata metadata,
        IOptions<VifPoolOptions> options,
        IPoolReadiness readiness,
        IPoolEvents events,
        TimeProvider time,
        PoolMetrics metrics,
        ILogger<VifPoolManager> logger)
    {
        _drivers = drivers;
        _defaultGroups = defaultGroups;
        _store = store;
        _locks = locks;
        _metadata = metadata;
        _options = options;
        _readiness = readiness;
        _events = events;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    public bool IsReady => _readiness.IsReady;

    /// <summary>Background refills still running (tests wait for them; shutdown drains them).</summary>
    internal Task RefillsAsync() => Task.WhenAll(_refills.Values);

    public async Task<VifAssignment> RequestVifAsync(PodVifRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsReady)
        {
            throw new PoolsNotReadyException();
        }

        var driver = await _drivers.ForNodeAsync(request.NodeName, cancellationToken).ConfigureAwait(false);
        var pool = driver.PoolFor(request);
        var groups = await _defaultGroups.ResolveAsync(request.ProjectId, request.SecurityGroups, cancellationToken).ConfigureAwait(false);
        var target = new PoolTarget(pool, driver.Name, request.NodeName, request.SubnetId, groups);
        for (var attempt = 1; attempt <= TakeAttempts; attempt++)
        {
            var taken = await _store.TakeAsync(pool, groups, request.Owner).ConfigureAwait(false);
            if (taken is null)
            {
                _metrics.Takes.Add(1, new KeyValuePair<string, object?>("kind", "miss"));
                LogPoolEmpty(pool.Id, request.Owner, attempt);
                var count = driver.Pooled ? 0 : 1;
                await PopulateCoreAsync(driver, target, count, onlyIfEmpty: true, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (taken.Kind == TakeKind.Swap)
            {
                try
                {
                    await driver.UpdateSecurityGroupsAsync(taken.PortId, groups, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    LogSwapFailed(pool.Id, taken.PortId, request.Owner, e.Message);
                    await _store.UntakeAsync(pool, taken.PortId, request.Owner, taken.SourceSecurityGroups).ConfigureAwait(false);
                    throw;
                }
            }

            _metrics.Takes.Add(1, new KeyValuePair<string, object?>("kind", taken.Kind.ToString().ToUpperInvariant() switch
            {
                "MATCH" => "match",
                "SWAP" => "swap",
                _ => "existing",
            }));
            LogTaken(pool.Id, taken.PortId, request.Owner, taken.Kind);
            if (driver.Pooled)
            {
                ScheduleRefillIfLow(driver, target);
            }

            return new VifAssignment(pool, driver.Name, taken.PortId, taken.VifJson);
        }

        throw new PoolExhaustedException(
            $"pool {pool.Id}: no port for {request.Owner} after {TakeAttempts} attempts (newer requests took the new ports); retry");
    }

    public async Task ReleaseVifAsync(VifRelease release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        var driver = ReleaseDriver(release);
        var outcome = await _store.ReleaseAsync(release.Pool, release.PortId, release.Owner).ConfigureAwait(false);
        LogReleased(release.Pool.Id, release.PortId, release.Owner, outcome);
        if (!driver.Pooled && outcome is ReleaseOutcome.Released or ReleaseOutcome.AlreadyReleased)
        {
            await DeleteAsync(driver, release.Pool, release.PortId, [PortState.Recyclable], cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<int> PopulateAsync(PoolTarget target, int ports, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(ports, 1);
        var driver = _drivers.ByName(target.Driver);
        var groups = await _defaultGroups.ResolveAsync(target.Pool.ProjectId, target.SecurityGroups, cancellationToken).ConfigureAwait(false);
        return await PopulateCoreAsync(driver, target with { SecurityGroups = groups }, ports, onlyIfEmpty: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> FreePoolAsync(PoolKey pool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var driver = await DriverForPoolAsync(pool).ConfigureAwait(false);
        var snapshot = await _store.ReadAsync(pool).ConfigureAwait(false);
        var freed = 0;
        foreach (var (portId, state) in snapshot.States)
        {
            if (state is PortState.Available or PortState.Recyclable
                && await DeleteAsync(driver, pool, portId, [PortState.Available, PortState.Recyclable], cancellationToken).ConfigureAwait(false))
            {
                freed++;
            }
        }

        await _store.UnregisterIfEmptyAsync(pool).ConfigureAwait(false);
        LogFreed(pool.Id, freed);
        return freed;
    }

    /// <summary>One recycle pass: every recyclable port goes back to its pool with its CURRENT
    /// security groups (one Neutron listing per driver, not per port), or is deleted when its pool
    /// already holds <c>ports_pool_max</c> available ports. Returns (recycled, deleted).</summary>
    internal async Task<(int Recycled, int Deleted)> RecycleOnceAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var pending = new List<(PoolKey Pool, string PortId)>();
        foreach (var pool in await _store.ListPoolsAsync().ConfigureAwait(false))
        {
            foreach (var id in await _store.ListRecyclableAsync(pool, _time.GetUtcNow()).ConfigureAwait(false))
            {
                pending.Add((pool, id));
            }
        }

        if (pending.Count == 0)
        {
            return (0, 0);
        }

        var current = new Dictionary<string, (IPoolDriver Driver, SecurityGroupSet Groups)>(StringComparer.Ordinal);
        foreach (var driver in _drivers.Drivers)
        {
            foreach (var port in await driver.DiscoverAsync(cancellationToken).ConfigureAwait(false))
            {
                current.TryAdd(port.PortId, (driver, port.SecurityGroups));
            }
        }

        var max = _options.Value.PortsPoolMax;
        int recycled = 0, deleted = 0;
        foreach (var (pool, portId) in pending)
        {
            if (!current.TryGetValue(portId, out var found))
            {
                // Gone from Neutron (deleted by hand): nothing to recycle.
                if (await _store.BeginDeleteAsync(pool, portId, PortState.Recyclable).ConfigureAwait(false) is not null)
                {
                    await _store.ForgetAsync(pool, portId).ConfigureAwait(false);
                    LogRecycleGone(pool.Id, portId);
                    deleted++;
                }

                continue;
            }

            if (!found.Driver.Pooled)
            {
                if (await DeleteAsync(found.Driver, pool, portId, [PortState.Recyclable], cancellationToken).ConfigureAwait(false))
                {
                    deleted++;
                }

                continue;
            }

            var outcome = await _store.RecycleAsync(pool, portId, found.Groups, max).ConfigureAwait(false);
            if (outcome == RecycleOutcome.Available)
            {
                recycled++;
                LogRecycled(pool.Id, portId, found.Groups.Key);
            }
            else if (outcome == RecycleOutcome.Deleting)
            {
                await found.Driver.DeletePortsAsync(pool, [portId], cancellationToken).ConfigureAwait(false);
                await _store.ForgetAsync(pool, portId).ConfigureAwait(false);
                deleted++;
                LogRecycleDeleted(pool.Id, portId, max);
            }
        }

        _metrics.RecycleDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return (recycled, deleted);
    }

    /// <summary>Runs <see cref="RecycleOnceAsync"/> every <c>ports_pool_update_frequency</c> seconds
    /// (on the injected <see cref="TimeProvider"/>), skipping ticks while the pools are not ready; a
    /// failed pass is logged and the next tick tries again. Returns when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunRecycleLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Value.PortsPoolUpdateFrequency, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                (int Recycled, int Deleted)? result = null;
                if (IsReady)
                {
                    try
                    {
                        result = await RecycleOnceAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogRecycleFailed(e.Message);
                    }
                }

                RecyclePassFinished?.Invoke(result);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Test hook: called after every tick of <see cref="RunRecycleLoopAsync"/> with the
    /// pass's (recycled, deleted), or null when the tick was skipped or the pass failed.</summary>
    internal Action<(int Recycled, int Deleted)?>? RecyclePassFinished { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await RefillsAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private void ScheduleRefillIfLow(IPoolDriver driver, PoolTarget target)
    {
        if (_refills.ContainsKey(target.Pool) || _stopping.IsCancellationRequested)
        {
            return;
        }

        var refill = Task.Run(async () =>
        {
            try
            {
                var snapshot = await _store.ReadAsync(target.Pool).ConfigureAwait(false);
                var available = snapshot.Count(PortState.Available);
                _metrics.ObserveAvailable(target.Pool, available);
                if (available < _options.Value.PortsPoolMin)
                {
                    await PopulateCoreAsync(driver, target, 0, onlyIfEmpty: false, _stopping.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                LogRefillFailed(target.Pool.Id, e.Message);
                try
                {
                    await _events.OnPopulateFailedAsync(target, e, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception inner)
                {
                    LogRefillFailed(target.Pool.Id, "event hook: " + inner.Message);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        if (!_refills.TryAdd(target.Pool, refill))
        {
            return;
        }

        _ = refill.ContinueWith(_ => _refills.TryRemove(target.Pool, out Task? _), TaskScheduler.Default);
    }

    /// <summary>Creates ports in one bulk request under the pool's population lock. <paramref name="count"/>
    /// 0 means Kuryr's refill size max(batch, min − available). Never above <c>ports_pool_max</c>
    /// available. <paramref name="onlyIfEmpty"/>: a waiting request; skip when someone else filled it.</summary>
    private async Task<int> PopulateCoreAsync(IPoolDriver driver, PoolTarget target, int count, bool onlyIfEmpty, CancellationToken cancellationToken)
    {
        var options = _options.Value;
        await using var held = await AcquireLockAsync(target.Pool, options.PopulateLockTimeout, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            LogLockTimeout(target.Pool.Id, options.PopulateLockTimeoutSeconds);
            return 0;
        }

        var snapshot = await _store.ReadAsync(target.Pool).ConfigureAwait(false);
        var available = snapshot.Count(PortState.Available);
        _metrics.ObserveAvailable(target.Pool, available);
        if (onlyIfEmpty && available > 0)
        {
            return 0;
        }

        var n = count > 0 ? count : Math.Max(options.PortsPoolBatch, options.PortsPoolMin - available);
        if (driver.Pooled && options.PortsPoolMax > 0)
        {
            n = Math.Min(n, options.PortsPoolMax - available);
        }

        if (n <= 0)
        {
            LogPoolFull(target.Pool.Id, available, options.PortsPoolMax);
            return 0;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            // Before any port exists: whoever later frees or repairs the pool knows its driver.
            await _metadata.RecordDriverAsync(target.Pool, driver.Name).ConfigureAwait(false);
            var ports = await driver.CreatePortsAsync(target, n, cancellationToken).ConfigureAwait(false);
            await _store.AddAvailableAsync(target.Pool, target.SecurityGroups, ports).ConfigureAwait(false);
            _metrics.Populations.Add(1, new KeyValuePair<string, object?>("result", "ok"));
            _metrics.PortsCreated.Add(ports.Count);
            _metrics.ObserveAvailable(target.Pool, available + ports.Count);
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogPopulated(target.Pool.Id, ports.Count, target.SecurityGroups.Key, elapsed.TotalMilliseconds);
            return ports.Count;
        }
        catch
        {
            _metrics.Populations.Add(1, new KeyValuePair<string, object?>("result", "error"));
            throw;
        }
        finally
        {
            _metrics.PopulateDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private async Task<IPopulateLock?> AcquireLockAsync(PoolKey pool, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        var delay = LockPollFirst;
        while (true)
        {
            var ttl = timeout < LockLease ? timeout : LockLease;
            var held = await _locks.TryAcquireAsync(pool, ttl).ConfigureAwait(false);
            if (held is not null)
            {
                return new RenewedLock(held, ttl, _time);
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LockPollMax.Ticks));
        }
    }

    /// <summary>The driver of a release: by name, and among several of that name (two noop port
    /// makers under multi_pool) by the VIF's pod VIF driver, else by the pool host (an IP: nested).</summary>
    private IPoolDriver ReleaseDriver(VifRelease release)
    {
        var named = _drivers.Drivers.Where(d => d.Name == release.Driver).ToList();
        if (named.Count <= 1)
        {
            return _drivers.ByName(release.Driver);
        }

        var nestedHost = IPAddress.TryParse(release.Pool.Host, out _);
        return named.FirstOrDefault(d => d.PodVifDriver == release.PodVifDriver)
            ?? named.FirstOrDefault(d => d.PodVifDriver.StartsWith("nested", StringComparison.Ordinal) == nestedHost)
            ?? named[0];
    }

    private async Task<bool> DeleteAsync(IPoolDriver driver, PoolKey pool, string portId, PortState[] from, CancellationToken cancellationToken)
    {
        if (await _store.BeginDeleteAsync(pool, portId, from).ConfigureAwait(false) is null)
        {
            return false;
        }

        await driver.DeletePortsAsync(pool, [portId], cancellationToken).ConfigureAwait(false);
        await _store.ForgetAsync(pool, portId).ConfigureAwait(false);
        return true;
    }

    /// <summary>A pool's driver: the one recorded in Redis when the pool was populated or adopted;
    /// for pools recorded before that, the only pooled driver, or (multi_pool) a guess: nested for
    /// trunk-IP hosts, neutron for node names.</summary>
    private async Task<IPoolDriver> DriverForPoolAsync(PoolKey pool)
    {
        var recorded = await _metadata.GetDriverAsync(pool).ConfigureAwait(false);
        if (recorded is not null)
        {
            return _drivers.Drivers.FirstOrDefault(d => d.Name == recorded)
                ?? throw new PoolDriverException(
                    $"pool {pool.Id} was populated by pool driver {recorded}, which is not configured (configured: {string.Join(", ", _drivers.Drivers.Select(d => d.Name))})");
        }

        var pooled = _drivers.Drivers.Where(d => d.Pooled).ToList();
        if (pooled.Count <= 1)
        {
            return pooled.Count == 1 ? pooled[0] : _drivers.Drivers[0];
        }

        var nestedHost = IPAddress.TryParse(pool.Host, out _);
        LogDriverGuessed(pool.Id, nestedHost ? KuryrDrivers.NestedPool : KuryrDrivers.NeutronPool);
        return pooled.FirstOrDefault(d => (d.Name == KuryrDrivers.NestedPool) == nestedHost) ?? pooled[0];
    }

    /// <summary>A held population lock whose TTL is extended every third of it until disposed.</summary>
    private sealed class RenewedLock : IPopulateLock
    {
        private readonly IPopulateLock _inner;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        public RenewedLock(IPopulateLock inner, TimeSpan ttl, TimeProvider time)
        {
            _inner = inner;
            _renewing = RenewAsync(ttl, time);
        }

        public PoolKey Pool => _inner.Pool;

        public string Token => _inner.Token;

        public Task<bool> ExtendAsync(TimeSpan ttl) => _inner.ExtendAsync(ttl);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(false);
            _stop.Dispose();
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        private async Task RenewAsync(TimeSpan ttl, TimeProvider time)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(ttl / 3, time, _stop.Token).ConfigureAwait(false);
                    if (!await _inner.ExtendAsync(ttl).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (StackExchange.Redis.RedisException)
            {
                // Redis unreachable: the population fails on its own writes; the lock expires.
            }
        }
    }
}
