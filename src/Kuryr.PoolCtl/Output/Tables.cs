using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kuryr.PoolCtl.Output;

/// <summary>The human tables (Spectre.Console). Plain text (no colours, ASCII borders, no wrapping)
/// when the output is not a terminal, so it can be grepped and diffed.</summary>
internal static class Tables
{
    /// <summary>A console on <paramref name="writer"/>: ANSI and colours only for a terminal.</summary>
    public static IAnsiConsole Console(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 4096;
        }

        return console;
    }

    public static IRenderable List(PoolListView list, bool terminal)
    {
        if (list.Pools.Count == 0)
        {
            return new Text("No pools registered in Redis.");
        }

        var table = New(terminal, "POOL (HOST/PROJECT/NETWORK)", "DRIVER", "AVAILABLE (PER SG BUCKET)", "ASSIGNED", "RECYCLABLE", "CREATING/DELETING", "LAST POPULATE");
        foreach (var p in list.Pools)
        {
            table.AddRow(
                Cell(p.Id),
                Cell(p.Driver ?? "-"),
                Cell(Buckets(p.Counts.Available, p.Buckets)),
                Cell(Num(p.Counts.Assigned)),
                Cell(Num(p.Counts.Recyclable)),
                Cell(Num(p.Counts.Creating) + "/" + Num(p.Counts.Deleting)),
                Cell(Last(p.LastPopulate)));
        }

        return table;
    }

    public static IRenderable Show(PoolDetailView pool, bool terminal)
    {
        var summary = New(terminal, "POOL", pool.Id);
        summary.AddRow(Cell("host"), Cell(pool.Host));
        summary.AddRow(Cell("project"), Cell(pool.ProjectId));
        summary.AddRow(Cell("network"), Cell(pool.NetworkId));
        summary.AddRow(Cell("driver"), Cell(pool.Driver ?? "-"));
        summary.AddRow(Cell("available"), Cell(Buckets(pool.Counts.Available, pool.Buckets)));
        summary.AddRow(Cell("assigned"), Cell(Num(pool.Counts.Assigned)));
        summary.AddRow(Cell("recyclable"), Cell(Num(pool.Counts.Recyclable)));
        summary.AddRow(Cell("creating"), Cell(Num(pool.Counts.Creating)));
        summary.AddRow(Cell("deleting"), Cell(Num(pool.Counts.Deleting)));
        summary.AddRow(Cell("total"), Cell(Num(pool.Counts.Total)));
        summary.AddRow(Cell("last populate"), Cell(Last(pool.LastPopulate)));

        var ports = New(terminal, "STATE", "SECURITY GROUPS", "PORT", "OWNER");
        foreach (var bucket in pool.Ports.Available)
        {
            foreach (var id in bucket.PortIds)
            {
                ports.AddRow(Cell("available"), Cell(Groups(bucket.SecurityGroups)), Cell(id), Cell(""));
            }
        }

        foreach (var a in pool.Ports.Assigned)
        {
            ports.AddRow(Cell("assigned"), Cell(""), Cell(a.PortId), Cell(a.Owner ?? "-"));
        }

        foreach (var (state, ids) in new[] { ("recyclable", pool.Ports.Recyclable), ("creating", pool.Ports.Creating), ("deleting", pool.Ports.Deleting) })
        {
            foreach (var id in ids)
            {
                ports.AddRow(Cell(state), Cell(""), Cell(id), Cell(""));
            }
        }

        return new Rows(summary, ports);
    }

    public static IRenderable Vifs(NodeVifsView view, bool terminal)
    {
        if (view.Vifs.Count == 0)
        {
            return new Text($"No VIFs assigned on node {view.Node}.");
        }

        var table = New(terminal, "POD", "IFNAME", "PORT", "MAC", "IPS", "VIF TYPE", "ACTIVE");
        foreach (var v in view.Vifs)
        {
            table.AddRow(
                Cell(v.Namespace + "/" + v.Pod),
                Cell(v.Ifname + (v.Default ? " (default)" : "")),
                Cell(v.PortId ?? "-"),
                Cell(v.Mac ?? "-"),
                Cell(v.Ips.Count == 0 ? "-" : string.Join(", ", v.Ips)),
                Cell(v.VifType),
                Cell(v.Active switch { true => "yes", false => "no", null => "-" }));
        }

        return table;
    }

    internal static string Groups(IReadOnlyList<string> groups) => groups.Count == 0 ? "(default)" : string.Join(",", groups);

    private static string Buckets(int total, IReadOnlyList<BucketView> buckets) =>
        buckets.Count == 0
            ? Num(total)
            : Num(total) + " (" + string.Join("; ", buckets.Select(b => Groups(b.SecurityGroups) + ": " + Num(b.Available))) + ")";

    private static string Last(LastPopulateView? last) =>
        last is null ? "-" : last.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) + " (+" + Num(last.Created) + ")";

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static Text Cell(string text) => new(text);

    private static Table New(bool terminal, params string[] headers)
    {
        var table = new Table { Border = terminal ? TableBorder.Rounded : TableBorder.Ascii };
        foreach (var h in headers)
        {
            table.AddColumn(new TableColumn(new Text(h)) { NoWrap = !terminal });
        }

        return table;
    }
}
