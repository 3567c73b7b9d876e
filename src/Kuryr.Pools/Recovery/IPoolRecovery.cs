using Kuryr.Pools.State;

namespace Kuryr.Pools.Recovery;

/// <summary>
/// Brings the pools in Redis back in line with the truth (Neutron ports + KuryrPort CRs) at
/// controller start and whenever a Redis loss is detected. Until a recovery has finished,
/// <see cref="IsRecovered"/> is false and the pool manager refuses work (<see cref="IVifPool.IsReady"/>).
/// Safe to run from several replicas at once (a Redis lock serialises them) and idempotent.
/// </summary>
public interface IPoolRecovery
{
    /// <summary>True once a recovery finished and no Redis loss was detected since: the manager's readiness.</summary>
    bool IsRecovered { get; }

    /// <summary>Raised when <see cref="IsRecovered"/> changes.</summary>
    event EventHandler<bool>? RecoveredChanged;

    /// <summary>
    /// One recovery pass: waits for the recovery lock, then checks every pool against Neutron
    /// (<c>IPoolDriver.DiscoverAsync</c>) and the KuryrPorts, repairs drift (or rebuilds everything
    /// when Redis was lost), writes the <c>recovered</c> marker and sets <see cref="IsRecovered"/>.
    /// Throws (leaving <see cref="IsRecovered"/> false) when a listing fails.
    /// </summary>
    Task<RecoveryReport> RecoverAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// True when the Redis state was lost (the <c>recovered</c> marker is gone, e.g. FLUSHALL or a
    /// Redis restart without persistence); sets <see cref="IsRecovered"/> false in that case.
    /// </summary>
    Task<bool> CheckForLossAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Finishes <c>creating</c> entries of a pool whose population is no longer running (its
    /// population lock is free: released, or expired after <c>populate_lock_timeout</c>): ports that
    /// made it into Neutron and onto their trunk become available (or assigned when a KuryrPort holds
    /// them), the others are deleted. Returns how many entries were finished; 0 when a population
    /// holds the lock.
    /// </summary>
    Task<int> FinishStaleCreatingAsync(PoolKey pool, CancellationToken cancellationToken = default);

    /// <summary>
    /// Recovers (retrying after failures), then checks for a Redis loss every
    /// <see cref="PoolRecoveryOptions.LossCheckInterval"/> and recovers again when one is found, until cancelled.
    /// </summary>
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>What one recovery pass found and did.</summary>
public sealed record RecoveryReport
{
    /// <summary>True when Redis held no pools and no <c>recovered</c> marker: a full rebuild.</summary>
    public bool Rebuilt { get; init; }

    public int PoolsChecked { get; init; }

    public int PortsDiscovered { get; init; }

    /// <summary>Unknown to Redis and not referenced by a KuryrPort: now available (hand-made ports included).</summary>
    public int Adopted { get; init; }

    /// <summary>Referenced by a KuryrPort but available or unknown in Redis: now assigned to that owner.</summary>
    public int Assigned { get; init; }

    /// <summary>Assigned to an owner whose KuryrPort is gone: now recyclable.</summary>
    public int Released { get; init; }

    /// <summary>In Redis but gone from Neutron: forgotten.</summary>
    public int Forgotten { get; init; }

    /// <summary>Stale <c>creating</c> entries finished (made available, or deleted).</summary>
    public int CreatingFinished { get; init; }

    /// <summary>Interrupted deletions (state <c>deleting</c>) completed.</summary>
    public int DeletionsFinished { get; init; }

    /// <summary>A KuryrPort references a port another owner holds in Redis: left alone, logged.</summary>
    public int Conflicts { get; init; }

    public int TotalRepairs => Adopted + Assigned + Released + Forgotten + CreatingFinished + DeletionsFinished;
}

/// <summary>Recovery knobs (Kuryr.Node only; Kuryr had none).</summary>
public sealed class PoolRecoveryOptions
{
    /// <summary>TTL of the Redis lock that serialises recovery across replicas (extended during a pass).</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a replica waiting for another's recovery retries the lock.</summary>
    public TimeSpan LockRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often <see cref="IPoolRecovery.RunAsync"/> checks the <c>recovered</c> marker.</summary>
    public TimeSpan LossCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often <see cref="IPoolRecovery.RunAsync"/> finishes <c>creating</c> entries of
    /// populations that died (their population lock has expired); see
    /// <see cref="IPoolRecovery.FinishStaleCreatingAsync"/>.</summary>
    public TimeSpan StaleCreatingSweepInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Wait before retrying a failed recovery in <see cref="IPoolRecovery.RunAsync"/>.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(10);
}
