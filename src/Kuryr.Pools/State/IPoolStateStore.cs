namespace Kuryr.Pools.State;

/// <summary>
/// The pools' shared state in Redis. Every port state change is one atomic, idempotent Lua step,
/// so a port can never be handed to two owners, even with two controllers running at once; all
/// keys of one pool share a hash tag (one Redis Cluster slot). Layout: docs/redis-layout.md.
/// </summary>
public interface IPoolStateStore
{
    /// <summary>Adds new ports as available in bucket <paramref name="securityGroups"/> (population
    /// done, or recovery adopting them); a port in state creating becomes available, any other known
    /// port is left alone. Registers the pool. Returns how many ports changed.</summary>
    Task<int> AddAvailableAsync(PoolKey pool, SecurityGroupSet securityGroups, IReadOnlyList<PooledPort> ports);

    /// <summary>Records ports that exist in Neutron but are not usable yet (nested: before add_subports).</summary>
    Task<int> AddCreatingAsync(PoolKey pool, SecurityGroupSet securityGroups, IReadOnlyList<PooledPort> ports);

    /// <summary>Hands one available port to <paramref name="owner"/>; null when the pool is empty.</summary>
    Task<TakenPort?> TakeAsync(PoolKey pool, SecurityGroupSet securityGroups, string owner);

    /// <summary>Recovery: a KuryrPort references <paramref name="portId"/>, so it becomes assigned to
    /// <paramref name="owner"/> (from available, creating or unknown; registers the pool). Idempotent.</summary>
    Task<AssignOutcome> AssignAsync(PoolKey pool, string portId, string vifJson, SecurityGroupSet securityGroups, string owner);

    /// <summary>Gives a taken port back to the head of its original bucket (the SG update failed).</summary>
    Task<bool> UntakeAsync(PoolKey pool, string portId, string owner, SecurityGroupSet originalSecurityGroups);

    /// <summary>The owner is gone: the port becomes recyclable. <paramref name="owner"/> null releases
    /// whatever owner holds it (recovery, force-deleted pods).</summary>
    Task<ReleaseOutcome> ReleaseAsync(PoolKey pool, string portId, string? owner);

    /// <summary>A recyclable port goes back to bucket <paramref name="currentSecurityGroups"/>, or is
    /// marked for deletion when the pool already holds <paramref name="maxAvailable"/> ports (0 = no limit).</summary>
    Task<RecycleOutcome> RecycleAsync(PoolKey pool, string portId, SecurityGroupSet currentSecurityGroups, int maxAvailable);

    /// <summary>Marks a port for deletion if it is in one of <paramref name="from"/>; returns its previous state.</summary>
    Task<PortState?> BeginDeleteAsync(PoolKey pool, string portId, params PortState[] from);

    /// <summary>Removes a port in state deleting or creating (or any state with <paramref name="force"/>).</summary>
    Task<PortState?> ForgetAsync(PoolKey pool, string portId, bool force = false);

    /// <summary>Recyclable ports released at or before <paramref name="releasedBefore"/>.</summary>
    Task<IReadOnlyList<string>> ListRecyclableAsync(PoolKey pool, DateTimeOffset releasedBefore);

    /// <summary>A consistent read of one pool (one MULTI/EXEC).</summary>
    Task<PoolSnapshot> ReadAsync(PoolKey pool);

    /// <summary>Every pool registered so far.</summary>
    Task<IReadOnlyList<PoolKey>> ListPoolsAsync();

    /// <summary>Removes a pool that holds no port any more from the registry (and drops its
    /// <see cref="IPoolMetadata"/> HASH); false when it still holds ports.</summary>
    Task<bool> UnregisterIfEmptyAsync(PoolKey pool);
}
