namespace Kuryr.LocalCluster.Options;

/// <summary>The command line of <c>kuryr-local-cluster</c>, after parsing.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>The largest <c>--pods</c> value: Neutron serves one request at a time and is shared.</summary>
    public const int MaxPodsPerNode = 100;

    /// <summary>Pods per node (<c>--pods</c>).</summary>
    public int PodsPerNode { get; init; } = 10;

    /// <summary><c>--pool-driver</c>: <c>pools</c> (multi_pool: neutron / nested) or <c>noop</c>.</summary>
    public string PoolDriver { get; init; } = PoolDrivers.Pools;

    /// <summary><c>--once</c>: print the summary, clean up and exit instead of waiting for Ctrl-C.</summary>
    public bool Once { get; init; }

    /// <summary><c>--run-dir</c>: configs, sockets, state and logs of everything started.</summary>
    public string RunDir { get; init; } = "/tmp/kuryr-local";

    /// <summary><c>--testbed-env</c>: the KEY=VALUE endpoints file written by testbed/up.sh.</summary>
    public string TestBedEnv { get; init; } = "/tmp/kuryr-testbed/env";

    /// <summary><c>--no-nested</c>: only the bare-metal node.</summary>
    public bool NoNested { get; init; }

    /// <summary><c>--bin-dir</c>: the repository root whose Release builds are started (null: found above the program).</summary>
    public string? RepoRoot { get; init; }

    public bool Pooled => PoolDriver == PoolDrivers.Pools;
}

/// <summary>Values of <c>--pool-driver</c>.</summary>
public static class PoolDrivers
{
    public const string Pools = "pools";
    public const string Noop = "noop";

    public static readonly IReadOnlyList<string> All = [Pools, Noop];
}
