using Kuryr.LocalCluster.Summary;

namespace Kuryr.LocalCluster.Tests.Summary;

public sealed class SummaryTableTests
{
    private static RunSummary Sample(IReadOnlyList<PoolLevel>? pools = null, double? neutron = 12) => new()
    {
        Mode = "pools",
        Nodes = [("local-bm-1", "neutron-vif"), ("local-nested-1", "nested-macvlan")],
        PodsTotal = 4,
        PodsNetworked = 3,
        CniLatencies = [0.5, 0.25, 2],
        NeutronRequests = neutron,
        Pools = pools ?? [new PoolLevel("local-bm-1/p/n", "neutron", 4, 2, 1)],
        PingsOk = 5,
        PingsTotal = 6,
        Elapsed = TimeSpan.FromSeconds(42.25),
    };

    private static string Value(RunSummary s, string metric) => SummaryTable.Rows(s).Single(r => r.Metric == metric).Value;

    [Fact]
    public void Rows_show_counts_latencies_and_calls_per_pod()
    {
        var s = Sample();
        Assert.Equal("3/4", Value(s, "pods networked"));
        Assert.Equal("0.500 s", Value(s, "pod creation → CNI result p50"));
        Assert.Equal("2.000 s", Value(s, "pod creation → CNI result p99"));
        Assert.Equal("2.000 s", Value(s, "pod creation → CNI result max"));
        Assert.Equal("3.00 (12 calls / 4 pods)", Value(s, "Neutron calls per pod"));
        Assert.Equal("5/6", Value(s, "pings ok"));
        Assert.Equal("local-bm-1 (neutron-vif), local-nested-1 (nested-macvlan)", Value(s, "nodes"));
        Assert.Equal("pools", Value(s, "mode"));
    }

    [Fact]
    public void Latencies_are_also_shown_per_node_in_node_order_and_a_node_without_pods_has_no_row()
    {
        var s = Sample() with
        {
            CniLatenciesByNode = new Dictionary<string, IReadOnlyList<double>> { ["local-bm-1"] = [0.25, 0.5, 2] },
        };
        var perNode = SummaryTable.Rows(s).Where(r => r.Metric.StartsWith("  on ", StringComparison.Ordinal)).ToList();
        Assert.Equal([("  on local-bm-1 (neutron-vif) p50 / p99", "0.500 s / 2.000 s (3 pods)")], perNode);
    }

    [Fact]
    public void The_steps_of_the_pods_time_are_shown_in_chain_order_with_their_p50_and_p99()
    {
        var s = Sample() with
        {
            Steps = [("pod create (API)", [0.1, 0.3]), ("kuryr-cni ADD", [1.0, 2.0, 4.0]), ("tuning ADD", [])],
        };
        var steps = SummaryTable.Rows(s).Where(r => r.Metric.StartsWith("  step ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [("  step pod create (API) p50 / p99", "0.100 s / 0.300 s"), ("  step kuryr-cni ADD p50 / p99", "2.000 s / 4.000 s")],
            steps);
    }

    [Fact]
    public void One_row_per_pool_sorted_by_id()
    {
        var s = Sample([new PoolLevel("z/p/n", "nested", 1, 0, 0), new PoolLevel("a/p/n", "neutron", 4, 2, 1)]);
        var pools = SummaryTable.Rows(s).Where(r => r.Metric.StartsWith("pool ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["pool a/p/n [neutron]", "pool z/p/n [nested]"], pools.Select(p => p.Metric));
        Assert.Equal("available 4, assigned 2, recyclable 1", pools[0].Value);
    }

    [Fact]
    public void No_pools_and_no_metrics_say_so()
    {
        var s = Sample([], null) with { CniLatencies = [] };
        Assert.Equal("none (no pooling)", Value(s, "pools"));
        Assert.Equal("n/a", Value(s, "Neutron calls per pod"));
        Assert.Equal("n/a", Value(s, "pod creation → CNI result p50"));
        Assert.Equal("n/a", Value(s, "pod creation → CNI result max"));
    }

    [Fact]
    public void Plain_text_aligns_the_values()
    {
        var lines = SummaryTable.Plain(Sample()).Split('\n');
        Assert.Equal(SummaryTable.Rows(Sample()).Count, lines.Length);
        var column = lines[0].IndexOf("pools", StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Equal(' ', l[column - 1]));
        Assert.Contains(lines, l => l.StartsWith("pods networked", StringComparison.Ordinal) && l.EndsWith("3/4", StringComparison.Ordinal));
    }

    [Fact]
    public void The_spectre_table_has_every_row() => Assert.Equal(SummaryTable.Rows(Sample()).Count, SummaryTable.Build(Sample()).Rows.Count);
}
