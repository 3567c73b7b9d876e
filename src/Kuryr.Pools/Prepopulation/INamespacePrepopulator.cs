using Kuryr.Kubernetes.Models;

namespace Kuryr.Pools.Prepopulation;

/// <summary>
/// Kuryr's <c>kuryrnetwork_population</c> logic (the handler that calls it is issue 5): when a
/// namespace's KuryrNetwork has its subnet (<c>status.subnetId</c>) and is not
/// <c>status.populated</c>, mark it populated FIRST (so a crash cannot populate twice), then fill
/// every node's pool on that network with <c>(int)max(ports_pool_batch / 2, ports_pool_min)</c>
/// ports. On a failure the mark is set back to false and the exception rethrown, so the handler
/// retries. The mark is written with a JSON patch that tests <c>metadata.resourceVersion</c>, so a
/// concurrent writer (the kuryrnetwork handler patching status, another replica) is never
/// overwritten (Kuryr LP #1916544).
/// </summary>
public interface INamespacePrepopulator
{
    Task<PrepopulationResult> PopulateAsync(KuryrNetwork network, CancellationToken cancellationToken = default);
}

/// <summary>What a prepopulation did.</summary>
/// <param name="Outcome">Whether it ran.</param>
/// <param name="PortsPerPool">The count asked of each pool.</param>
/// <param name="Pools">Each pool populated and how many ports it got.</param>
public sealed record PrepopulationResult(PrepopulationOutcome Outcome, int PortsPerPool, IReadOnlyList<(State.PoolKey Pool, int Added)> Pools);

public enum PrepopulationOutcome
{
    /// <summary>Marked populated and every node's pool populated.</summary>
    Populated,

    /// <summary>No subnet yet: nothing to do until <c>status.subnetId</c> is set.</summary>
    NoSubnet,

    /// <summary>Already <c>populated: true</c> (maybe by another replica): nothing done.</summary>
    AlreadyPopulated,

    /// <summary>The KuryrNetwork is gone.</summary>
    Gone,
}
