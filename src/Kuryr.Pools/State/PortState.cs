namespace Kuryr.Pools.State;

/// <summary>The one state a pooled port is in (DESIGN.md §3).</summary>
public enum PortState
{
    /// <summary>Created in Neutron, not usable yet (nested: not attached to the trunk).</summary>
    Creating,

    /// <summary>In a bucket of its pool, ready to be taken.</summary>
    Available,

    /// <summary>Held by one owner (a pod's interface).</summary>
    Assigned,

    /// <summary>Released by its pod; waiting for the recycle pass.</summary>
    Recyclable,

    /// <summary>Being deleted from Neutron.</summary>
    Deleting,
}

/// <summary>A port and its VIF (Kuryr's os-vif JSON envelope), as stored in a pool.</summary>
public sealed record PooledPort(string PortId, string VifJson);

/// <summary>How <see cref="IPoolStateStore.TakeAsync"/> found the port.</summary>
public enum TakeKind
{
    /// <summary>From the bucket with the requested security groups.</summary>
    Match,

    /// <summary>From another bucket: the caller updates the port's security groups, or gives it back.</summary>
    Swap,

    /// <summary>The owner already held this port (a retried take).</summary>
    Existing,
}

/// <summary>The port handed out by a take.</summary>
public sealed record TakenPort(string PortId, string VifJson, SecurityGroupSet SourceSecurityGroups, TakeKind Kind);

/// <summary>Result of a release.</summary>
public enum ReleaseOutcome
{
    Released,
    AlreadyReleased,
    UnknownPort,
    NotHeldByOwner,
}

/// <summary>Result of <see cref="IPoolStateStore.AssignAsync"/> (recovery re-marking a referenced port).</summary>
public enum AssignOutcome
{
    /// <summary>The port is now assigned to the owner.</summary>
    Assigned,

    /// <summary>The owner already held it.</summary>
    AlreadyAssigned,

    /// <summary>Another owner holds it, or the owner holds another port of the pool: nothing done.</summary>
    Conflict,

    /// <summary>The port is recyclable or being deleted: nothing done.</summary>
    Skipped,
}

/// <summary>Result of a recycle step.</summary>
public enum RecycleOutcome
{
    /// <summary>Back in its pool.</summary>
    Available,

    /// <summary>The pool is full: marked for deletion; the caller deletes it from Neutron, then forgets it.</summary>
    Deleting,

    /// <summary>The port was not recyclable (any more): nothing done.</summary>
    Skipped,
}

/// <summary>A consistent read of one pool.</summary>
public sealed record PoolSnapshot(
    PoolKey Key,
    IReadOnlyDictionary<string, PortState> States,
    IReadOnlyDictionary<string, IReadOnlyList<string>> AvailableByBucket,
    IReadOnlyDictionary<string, string> Owners,
    IReadOnlyDictionary<PortState, long> Counts)
{
    public int Count(PortState state) => States.Values.Count(s => s == state);
}
