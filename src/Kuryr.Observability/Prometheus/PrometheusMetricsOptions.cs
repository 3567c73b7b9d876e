namespace Kuryr.Observability.Prometheus;

/// <summary>What the <see cref="IPrometheusCollector"/> listens to and how it buckets histograms.</summary>
public sealed class PrometheusMetricsOptions
{
    /// <summary>
    /// Prometheus client defaults (seconds): 5 ms to 10 s.
    /// </summary>
    public static IReadOnlyList<double> DefaultBoundaries { get; } =
        [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>
    /// Meter names to export. An entry ending in <c>.*</c> matches every meter whose name starts with
    /// the part before the <c>*</c> (<c>Kuryr.*</c> matches <c>Kuryr.Pools</c>).
    /// </summary>
    public ISet<string> Meters { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Boundaries of histograms with no per-instrument entry and no advice from the instrument.</summary>
    public IList<double> HistogramBoundaries { get; set; } = [.. DefaultBoundaries];

    /// <summary>
    /// Boundaries per instrument name (the name given to <c>CreateHistogram</c>, e.g.
    /// <c>kuryr.pools.populate.duration</c>). They win over the instrument's own advice.
    /// </summary>
    public IDictionary<string, IList<double>> InstrumentHistogramBoundaries { get; set; } =
        new Dictionary<string, IList<double>>(StringComparer.Ordinal);
}
