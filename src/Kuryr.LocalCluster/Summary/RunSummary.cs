namespace Kuryr.LocalCluster.Summary;

/// <summary>Pool levels as the controller's management socket reports them.</summary>
public sealed record PoolLevel(string Pool, string Driver, int Available, int Assigned, int Recyclable);

/// <summary>What one scenario run measured.</summary>
public sealed record RunSummary
{
    public required string Mode { get; init; }

    /// <summary>Node name → pod VIF driver, in the order the nodes were set up.</summary>
    public required IReadOnlyList<(string Node, string PodVif)> Nodes { get; init; }

    public required int PodsTotal { get; init; }

    public required int PodsNetworked { get; init; }

    /// <summary>Seconds from the pod's creation to the CNI chain's result, one per networked pod.</summary>
    public required IReadOnlyList<double> CniLatencies { get; init; }

    /// <summary>Where the networked pods' time went: step (API create, netns, each plugin's ADD) → seconds per pod, in order.</summary>
    public IReadOnlyList<(string Step, IReadOnlyList<double> Seconds)> Steps { get; init; } = [];

    /// <summary>The same latencies per node (empty: not broken down).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> CniLatenciesByNode { get; init; } = new Dictionary<string, IReadOnlyList<double>>();

    /// <summary>Neutron requests the controller made while the pods were created and networked (null: /metrics unreadable).</summary>
    public double? NeutronRequests { get; init; }

    public required IReadOnlyList<PoolLevel> Pools { get; init; }

    public required int PingsOk { get; init; }

    public required int PingsTotal { get; init; }

    public required TimeSpan Elapsed { get; init; }
}
