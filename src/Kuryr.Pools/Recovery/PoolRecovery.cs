using System.Globalization;
using System.Net;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuryr.Pools.Recovery;

/// <inheritdoc cref="IPoolRecovery"/>
/// <remarks>
/// One pass reads, in this order, (1) every pool in Redis, (2) the KuryrPorts, (3) every driver's
/// discovery; the order makes concurrent work by another replica harmless: a port only counts as
/// "gone from Neutron" if Redis knew it before Neutron was listed, and a port is only adopted if
/// Redis did not know it (adding is a no-op for a port Redis learnt of meanwhile). Rules (docs/pools-recovery.md):
/// <list type="bullet">
/// <item>in Redis, not in Neutron: forgotten (creating entries are left to <see cref="FinishStaleCreatingAsync"/>);</item>
/// <item>in Neutron, unknown to Redis: assigned to its KuryrPort's owner if one references it, else available;</item>
/// <item>available but referenced by a KuryrPort: assigned to that owner (the pod uses it; handing it out again would share it);</item>
/// <item>assigned, but the owner's KuryrPort is gone: released (recyclable; the recycle pass returns or deletes it);</item>
/// <item>deleting: the interrupted Neutron delete is finished, then forgotten;</item>
/// <item>creating, with the pool's population lock free: finished (available when discovered, else deleted).</item>
/// </list>
/// </remarks>
internal sealed partial class PoolRecovery : IPoolRecovery
{
    private static readonly TimeSpan CreatingLockTtl = TimeSpan.FromMinutes(1);

    private readonly IPoolStateStore _store;
    private readonly IPopulateLockService _locks;
    private readonly IPoolMetadata _metadata;
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly IReadOnlyList<IPoolDriver> _drivers;
    private readonly IKuryrPortReferences _references;
    private readonly TimeProvider _time;
    private readonly PoolRecoveryOptions _options;
    private readonly ILogger<PoolRecovery> _logger;
    private volatile bool _recovered;

    public PoolRecovery(
        IPoolStateStore store,
        IPopulateLockService locks,
        IPoolMetadata metadata,
        IConnectionMultiplexer redis,
        RedisKeys keys,
        IEnumerable<IPoolDriver> drivers,
        IKuryrPortReferences references,
        TimeProvider time,
        IOptions<PoolRecoveryOptions> options,
        ILogger<PoolRecovery> logger)
    {
        _store = store;
        _locks = locks;
        _metadata = metadata;
        _redis = redis;
        _keys = keys;
        _drivers = [.. drivers.DistinctBy(d => (d.Name, d.PodVifDriver))];
        _references = references;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public event EventHandler<bool>? RecoveredChanged;

    public bool IsRecovered => _recovered;

    /// <summary>Marker key: written at the end of a recovery; its absence means Redis lost the pools.</summary>
    internal string MarkerKey => _keys.Prefix + ":recovered";

    /// <summary>The lock serialising recovery across replicas.</summary>
    internal string LockKey => _keys.Prefix + ":recovery:lock";

    private IDatabase Db => _redis.GetDatabase(_keys.Database);

    public async Task<RecoveryReport> RecoverAsync(CancellationToken cancellationToken = default)
    {
        var token = Guid.NewGuid().ToString("N");
        await AcquireLockAsync(token, cancellationToken).ConfigureAwait(false);
        try
        {
            var report = await RecoverLockedAsync(token, cancellationToken).ConfigureAwait(false);
            await Db.StringSetAsync(MarkerKey, _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) + " " + Dns.GetHostName()).ConfigureAwait(false);
            SetRecovered(true);
            LogRecovered(report.Rebuilt, report.PoolsChecked, report.PortsDiscovered, report.Adopted, report.Assigned,
                report.Released, report.Forgotten, report.CreatingFinished, report.DeletionsFinished, report.Conflicts);
            return report;
        }
        finally
        {
            await ReleaseLockAsync(token).ConfigureAwait(false);
        }
    }

    public async Task<bool> CheckForLossAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (await Db.KeyExistsAsync(MarkerKey).ConfigureAwait(false))
        {
            return false;
        }

        if (_recovered)
        {
            LogLossDetected(MarkerKey);
        }

        SetRecovered(false);
        return true;
    }

    public async Task<int> FinishStaleCreatingAsync(PoolKey pool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var snapshot = await _store.ReadAsync(pool).ConfigureAwait(false);
        if (snapshot.Count(PortState.Creating) == 0)
        {
            return 0;
        }

        var references = await _references.ListAsync(cancellationToken).ConfigureAwait(false);
        var discovered = await DiscoverAllAsync(cancellationToken).ConfigureAwait(false);
        return await FinishCreatingAsync(pool, discovered, references, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Finishes the <c>creating</c> entries of every pool whose population died: a controller that
    /// crashed mid-population and restarted within <c>populate_lock_timeout</c> found the lock still
    /// held, so its recovery pass left those entries alone; nothing else ever looks at them again
    /// (and GC skips ports known to Redis), so without this sweep they leaked for good.
    /// </summary>
    internal async Task<int> SweepStaleCreatingAsync(CancellationToken cancellationToken)
    {
        var finished = 0;
        foreach (var pool in await _store.ListPoolsAsync().ConfigureAwait(false))
        {
            finished += await FinishStaleCreatingAsync(pool, cancellationToken).ConfigureAwait(false);
        }

        return finished;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextSweep = _time.GetUtcNow() + _options.StaleCreatingSweepInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!_recovered || await CheckForLossAsync(cancellationToken).ConfigureAwait(false))
                {
                    await RecoverAsync(cancellationToken).ConfigureAwait(false);
                }

                if (_time.GetUtcNow() >= nextSweep)
                {
                    nextSweep = _time.GetUtcNow() + _options.StaleCreatingSweepInterval;
                    await SweepStaleCreatingAsync(cancellationToken).ConfigureAwait(false);
                }

                await Task.Delay(_options.LossCheckInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRecoveryFailed(e, _options.RetryInterval.TotalSeconds);
                try
                {
                    await Task.Delay(_options.RetryInterval, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<RecoveryReport> RecoverLockedAsync(string lockToken, CancellationToken cancellationToken)
    {
        // (1) Redis, (2) KuryrPorts, (3) Neutron: see the remarks for why this order.
        var pools = await _store.ListPoolsAsync().ConfigureAwait(false);
        var markerPresent = await Db.KeyExistsAsync(MarkerKey).ConfigureAwait(false);
        var rebuilt = pools.Count == 0 && !markerPresent;
        if (rebuilt)
        {
            LogRebuilding(_keys.Prefix);
        }

        var known = new Dictionary<string, (PoolKey Pool, PortState State, string? Owner)>(StringComparer.Ordinal);
        var buckets = new Dictionary<string, string>(StringComparer.Ordinal);
        var snapshots = new List<PoolSnapshot>();
        foreach (var pool in pools)
        {
            var s = await _store.ReadAsync(pool).ConfigureAwait(false);
            snapshots.Add(s);
            foreach (var (port, state) in s.States)
            {
                known[port] = (pool, state, s.Owners.GetValueOrDefault(port));
            }

            foreach (var (bucket, ports) in s.AvailableByBucket)
            {
                foreach (var port in ports)
                {
                    buckets[port] = bucket;
                }
            }
        }

        var references = await _references.ListAsync(cancellationToken).ConfigureAwait(false);
        var discovered = await DiscoverAllAsync(cancellationToken).ConfigureAwait(false);
        await ExtendLockAsync(lockToken).ConfigureAwait(false);

        int adopted = 0, assigned = 0, released = 0, forgotten = 0, deletions = 0, conflicts = 0, creating = 0;

        // Ports Redis knows.
        foreach (var (port, (pool, state, owner)) in known)
        {
            cancellationToken.ThrowIfCancellationRequested();
            discovered.TryGetValue(port, out var found);
            if (found is not null && found.Port.Pool != pool && state == PortState.Available)
            {
                // Discovery puts it in another pool (e.g. re-bound by hand): move it.
                if (await DetachAvailableAsync(pool, port).ConfigureAwait(false))
                {
                    known.Remove(port);
                    LogMoved(port, pool.Id, found.Port.Pool.Id);
                }

                continue;
            }

            if (found is not null && state == PortState.Available
                && buckets.TryGetValue(port, out var bucket) && bucket != found.Port.SecurityGroups.Key)
            {
                // Its bucket does not name the groups the port really has (changed by hand, or an
                // empty '' bucket written before requests resolved the project's default group):
                // a matching take would hand out a port with the wrong groups. Re-bucket it.
                if (await DetachAvailableAsync(pool, port).ConfigureAwait(false))
                {
                    known.Remove(port);
                    LogRebucketed(port, pool.Id, bucket, found.Port.SecurityGroups.Key);
                }

                continue;
            }

            switch (state)
            {
                case PortState.Creating:
                    break; // FinishCreatingAsync, under the pool's population lock
                case PortState.Deleting:
                    if (found is not null)
                    {
                        await found.Driver.DeletePortsAsync(pool, [port], cancellationToken).ConfigureAwait(false);
                    }

                    if (await _store.ForgetAsync(pool, port).ConfigureAwait(false) is not null)
                    {
                        deletions++;
                        LogDeletionFinished(port, pool.Id);
                    }

                    break;
                default:
                    if (found is null)
                    {
                        if (await _store.ForgetAsync(pool, port, force: true).ConfigureAwait(false) is not null)
                        {
                            forgotten++;
                            LogForgotten(port, pool.Id, state.ToString());
                        }

                        break;
                    }

                    var reference = references.ByPortId.GetValueOrDefault(port);
                    if (state == PortState.Available && reference is not null)
                    {
                        var outcome = await _store.AssignAsync(pool, port, found.Port.VifJson, found.Port.SecurityGroups, reference.Owner).ConfigureAwait(false);
                        Count(outcome, port, pool, reference.Owner, ref assigned, ref conflicts);
                    }
                    else if (state == PortState.Assigned && owner is not null && reference is not null && reference.Owner != owner)
                    {
                        conflicts++;
                        LogConflict(port, pool.Id, owner, reference.Owner);
                    }
                    else if (state == PortState.Assigned && owner is not null && reference is null && !references.OwnerExists(owner))
                    {
                        if (await _store.ReleaseAsync(pool, port, owner).ConfigureAwait(false) == ReleaseOutcome.Released)
                        {
                            released++;
                            LogReleased(port, pool.Id, owner);
                        }
                    }

                    break;
            }
        }

        // Ports Neutron has that Redis did not know: adopt (available) or re-mark (assigned).
        var toAdopt = new Dictionary<(PoolKey, SecurityGroupSet), List<PooledPort>>();
        foreach (var (port, found) in discovered)
        {
            if (known.ContainsKey(port))
            {
                continue;
            }

            if (references.ByPortId.TryGetValue(port, out var reference))
            {
                var outcome = await _store.AssignAsync(found.Port.Pool, port, found.Port.VifJson, found.Port.SecurityGroups, reference.Owner).ConfigureAwait(false);
                Count(outcome, port, found.Port.Pool, reference.Owner, ref assigned, ref conflicts);
                continue;
            }

            var key = (found.Port.Pool, found.Port.SecurityGroups);
            if (!toAdopt.TryGetValue(key, out var list))
            {
                toAdopt[key] = list = [];
            }

            list.Add(new PooledPort(port, found.Port.VifJson));
            if (!found.Port.Tagged)
            {
                LogHandMade(port, found.Port.Pool.Id);
            }
        }

        foreach (var ((pool, sgs), ports) in toAdopt)
        {
            adopted += await _store.AddAvailableAsync(pool, sgs, ports).ConfigureAwait(false);
        }

        // Every pool Neutron shows is recorded with the driver that discovered it (free and
        // cleanup use it instead of guessing from the host).
        foreach (var (pool, driver) in discovered.Values.Select(d => (d.Port.Pool, d.Driver.Name)).Distinct())
        {
            await _metadata.RecordDriverAsync(pool, driver).ConfigureAwait(false);
        }

        // Interrupted populations.
        foreach (var s in snapshots.Where(s => s.Count(PortState.Creating) > 0))
        {
            creating += await FinishCreatingAsync(s.Key, discovered, references, cancellationToken).ConfigureAwait(false);
        }

        // Pools left without any port leave the registry.
        var checkedPools = pools.Concat(toAdopt.Keys.Select(k => k.Item1)).Distinct().ToList();
        foreach (var pool in pools)
        {
            await _store.UnregisterIfEmptyAsync(pool).ConfigureAwait(false);
        }

        return new RecoveryReport
        {
            Rebuilt = rebuilt,
            PoolsChecked = checkedPools.Count,
            PortsDiscovered = discovered.Count,
            Adopted = adopted,
            Assigned = assigned,
            Released = released,
            Forgotten = forgotten,
            CreatingFinished = creating,
            DeletionsFinished = deletions,
            Conflicts = conflicts,
        };
    }

    /// <summary>Removes an available port from Redis so that the adoption step re-adds it where
    /// Neutron says it belongs. Atomic against a concurrent take (only an available port is
    /// detached); a crash in between leaves it deleting, and the next pass deletes that free port.</summary>
    private async Task<bool> DetachAvailableAsync(PoolKey pool, string port)
    {
        if (await _store.BeginDeleteAsync(pool, port, PortState.Available).ConfigureAwait(false) is null)
        {
            return false;
        }

        await _store.ForgetAsync(pool, port).ConfigureAwait(false);
        return true;
    }

    private void Count(AssignOutcome outcome, string port, PoolKey pool, string owner, ref int assigned, ref int conflicts)
    {
        switch (outcome)
        {
            case AssignOutcome.Assigned:
                assigned++;
                LogAssigned(port, pool.Id, owner);
                break;
            case AssignOutcome.Conflict:
                conflicts++;
                LogConflict(port, pool.Id, "(another owner)", owner);
                break;
            default:
                break;
        }
    }

    private async Task<int> FinishCreatingAsync(
        PoolKey pool,
        Dictionary<string, DiscoveredEntry> discovered,
        KuryrPortReferenceSet references,
        CancellationToken cancellationToken)
    {
        var populateLock = await _locks.TryAcquireAsync(pool, CreatingLockTtl).ConfigureAwait(false);
        if (populateLock is null)
        {
            LogCreatingSkipped(pool.Id);
            return 0;
        }

        await using (populateLock.ConfigureAwait(false))
        {
            var snapshot = await _store.ReadAsync(pool).ConfigureAwait(false);
            var finished = 0;
            var toDelete = new List<string>();
            foreach (var (port, state) in snapshot.States)
            {
                if (state != PortState.Creating)
                {
                    continue;
                }

                if (discovered.TryGetValue(port, out var found) && found.Port.Pool == pool)
                {
                    if (references.ByPortId.TryGetValue(port, out var reference))
                    {
                        await _store.AssignAsync(pool, port, found.Port.VifJson, found.Port.SecurityGroups, reference.Owner).ConfigureAwait(false);
                    }
                    else
                    {
                        await _store.AddAvailableAsync(pool, found.Port.SecurityGroups, [new PooledPort(port, found.Port.VifJson)]).ConfigureAwait(false);
                    }

                    finished++;
                    LogCreatingFinished(port, pool.Id, "available");
                }
                else
                {
                    toDelete.Add(port);
                }
            }

            if (toDelete.Count > 0)
            {
                var driver = await DriverForAsync(pool, discovered).ConfigureAwait(false);
                await driver.DeletePortsAsync(pool, toDelete, cancellationToken).ConfigureAwait(false);
                foreach (var port in toDelete)
                {
                    await _store.ForgetAsync(pool, port).ConfigureAwait(false);
                    finished++;
                    LogCreatingFinished(port, pool.Id, "deleted");
                }
            }

            return finished;
        }
    }

    private async Task<Dictionary<string, DiscoveredEntry>> DiscoverAllAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, DiscoveredEntry>(StringComparer.Ordinal);
        foreach (var driver in _drivers)
        {
            foreach (var port in await driver.DiscoverAsync(cancellationToken).ConfigureAwait(false))
            {
                result.TryAdd(port.PortId, new DiscoveredEntry(driver, port));
            }
        }

        return result;
    }

    /// <summary>The driver of a pool: the one that discovered one of its ports; else the one recorded
    /// in Redis (<see cref="IPoolMetadata"/>); else the only pooled driver; else, for pools recorded
    /// before drivers were, by the host (an IP address is a nested trunk, a name a bare-metal node).</summary>
    internal async Task<IPoolDriver> DriverForAsync(PoolKey pool, Dictionary<string, DiscoveredEntry> discovered)
    {
        var byDiscovery = discovered.Values.FirstOrDefault(d => d.Port.Pool == pool)?.Driver;
        if (byDiscovery is not null)
        {
            return byDiscovery;
        }

        var recorded = await _metadata.GetDriverAsync(pool).ConfigureAwait(false);
        if (recorded is not null)
        {
            return _drivers.FirstOrDefault(d => d.Name == recorded)
                ?? throw new PoolDriverException($"pool {pool.Id}: recorded pool driver {recorded} is not configured (configured: {string.Join(", ", _drivers.Select(d => d.Name))})");
        }

        var pooled = _drivers.Where(d => d.Pooled).ToList();
        if (pooled.Count == 1)
        {
            return pooled[0];
        }

        var name = IPAddress.TryParse(pool.Host, out _) ? "nested" : "neutron";
        return pooled.FirstOrDefault(d => d.Name == name)
            ?? throw new PoolDriverException($"pool {pool.Id}: no configured pool driver can delete its ports (configured: {string.Join(", ", _drivers.Select(d => d.Name))})");
    }

    private async Task AcquireLockAsync(string token, CancellationToken cancellationToken)
    {
        var waited = false;
        while (!await Db.StringSetAsync(LockKey, token, _options.LockTimeout, When.NotExists).ConfigureAwait(false))
        {
            if (!waited)
            {
                LogWaitingForLock(LockKey);
                waited = true;
            }

            await Task.Delay(_options.LockRetryInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<RedisResult> ExtendLockAsync(string token) =>
        Db.ScriptEvaluateAsync(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
            [LockKey],
            [token, (long)_options.LockTimeout.TotalMilliseconds]);

    private Task<RedisResult> ReleaseLockAsync(string token) =>
        Db.ScriptEvaluateAsync(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
            [LockKey],
            [token]);

    private void SetRecovered(bool value)
    {
        if (_recovered == value)
        {
            return;
        }

        _recovered = value;
        RecoveredChanged?.Invoke(this, value);
    }

    internal sealed record DiscoveredEntry(IPoolDriver Driver, DiscoveredPort Port);
}
