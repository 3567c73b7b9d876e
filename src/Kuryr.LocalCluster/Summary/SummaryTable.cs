using System.Globalization;
using Spectre.Console;

namespace Kuryr.LocalCluster.Summary;

/// <summary>Turns a <see cref="RunSummary"/> into the rows of the summary table, and the table itself.</summary>
public static class SummaryTable
{
    public static IReadOnlyList<(string Metric, string Value)> Rows(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var c = CultureInfo.InvariantCulture;
        var rows = new List<(string, string)>
        {
            ("mode", summary.Mode),
            ("nodes", string.Join(", ", summary.Nodes.Select(n => $"{n.Node} ({n.PodVif})"))),
            ("pods networked", $"{summary.PodsNetworked}/{summary.PodsTotal}"),
            ("pod creation → CNI result p50", Seconds(Percentiles.NearestRank(summary.CniLatencies, 50))),
            ("pod creation → CNI result p99", Seconds(Percentiles.NearestRank(summary.CniLatencies, 99))),
            ("pod creation → CNI result max", Seconds(summary.CniLatencies.Count == 0 ? null : summary.CniLatencies.Max())),
        };
        foreach (var (node, podVif) in summary.Nodes)
        {
            if (summary.CniLatenciesByNode.TryGetValue(node, out var own) && own.Count > 0)
            {
                rows.Add(($"  on {node} ({podVif}) p50 / p99",
                    $"{Seconds(Percentiles.NearestRank(own, 50))} / {Seconds(Percentiles.NearestRank(own, 99))} ({own.Count} pods)"));
            }
        }

        foreach (var (step, seconds) in summary.Steps)
        {
            if (seconds.Count > 0)
            {
                rows.Add(($"  step {step} p50 / p99",
                    $"{Seconds(Percentiles.NearestRank(seconds, 50))} / {Seconds(Percentiles.NearestRank(seconds, 99))}"));
            }
        }

        rows.AddRange(new List<(string, string)>
        {
            ("Neutron calls per pod", summary.NeutronRequests is { } n && summary.PodsTotal > 0
                ? string.Create(c, $"{n / summary.PodsTotal:0.00} ({n:0} calls / {summary.PodsTotal} pods)")
                : "n/a"),
        });
        if (summary.Pools.Count == 0)
        {
            rows.Add(("pools", "none (no pooling)"));
        }

        foreach (var p in summary.Pools.OrderBy(p => p.Pool, StringComparer.Ordinal))
        {
            rows.Add(($"pool {p.Pool} [{p.Driver}]", string.Create(c, $"available {p.Available}, assigned {p.Assigned}, recyclable {p.Recyclable}")));
        }

        rows.Add(("pings ok", string.Create(c, $"{summary.PingsOk}/{summary.PingsTotal}")));
        rows.Add(("scenario time", string.Create(c, $"{summary.Elapsed.TotalSeconds:0.0} s")));
        return rows;
    }

    public static Table Build(RunSummary summary)
    {
        var table = new Table().Title("kuryr-local-cluster summary").AddColumn("metric").AddColumn("value");
        foreach (var (metric, value) in Rows(summary))
        {
            table.AddRow(Markup.Escape(metric), Markup.Escape(value));
        }

        return table;
    }

    /// <summary>The rows as aligned plain text (logs, docs, non-TTY output).</summary>
    public static string Plain(RunSummary summary)
    {
        var rows = Rows(summary);
        var width = rows.Max(r => r.Metric.Length);
        return string.Join('\n', rows.Select(r => r.Metric.PadRight(width) + "  " + r.Value));
    }

    private static string Seconds(double? s) => s is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.000} s") : "n/a";
}
