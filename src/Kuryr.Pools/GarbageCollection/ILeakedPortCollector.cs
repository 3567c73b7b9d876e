namespace Kuryr.Pools.GarbageCollection;

/// <summary>
/// Garbage collection of leaked ports (DESIGN §3). A port is deleted only when it carries the
/// cluster's ownership tags, is in no Redis state, is referenced by no KuryrPort, was created longer
/// than <c>[vif_pool] gc_grace_period</c> ago, and was such a candidate in TWO consecutive complete
/// passes. A pass whose listing fails anywhere (a Neutron page, the KuryrPort list, Redis) does
/// nothing and leaves the "seen once" set as it was.
/// </summary>
public interface ILeakedPortCollector
{
    /// <summary>One pass.</summary>
    Task<CollectionReport> CollectAsync(CancellationToken cancellationToken = default);

    /// <summary>Ports seen as candidates by the last complete pass (deleted if still candidates next pass).</summary>
    IReadOnlyCollection<string> SeenOnce { get; }

    /// <summary>A pass every <see cref="LeakedPortCollectorOptions.Interval"/> (TimeProvider-driven) until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>What one pass saw and did.</summary>
public sealed record CollectionReport
{
    /// <summary>Null for a complete pass; else why it was abandoned (nothing was deleted).</summary>
    public string? AbortedBecause { get; init; }

    public bool Complete => AbortedBecause is null;

    /// <summary>Ports with the ownership tags in Neutron.</summary>
    public int Listed { get; init; }

    /// <summary>Candidates this pass (in no Redis state and no KuryrPort, older than the grace period).</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];

    /// <summary>Deleted this pass (candidates twice in a row).</summary>
    public IReadOnlyList<string> Deleted { get; init; } = [];

    /// <summary>Tagged ports unknown everywhere but younger than the grace period: kept.</summary>
    public int TooYoung { get; init; }
}

/// <summary>Garbage-collection knobs (Kuryr.Node only; the grace period is <c>[vif_pool] gc_grace_period</c>).</summary>
public sealed class LeakedPortCollectorOptions
{
    /// <summary>Time between passes (Kuryr's NODE_PORTS_CLEAN_FREQUENCY is 600 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Page size of the Neutron port listing.</summary>
    public int PageSize { get; set; } = 500;
}
