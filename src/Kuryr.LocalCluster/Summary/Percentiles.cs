namespace Kuryr.LocalCluster.Summary;

/// <summary>Nearest-rank percentiles of a sample.</summary>
public static class Percentiles
{
    /// <summary>
    /// The nearest-rank <paramref name="percentile"/> (0 &lt; p ≤ 100) of <paramref name="values"/>:
    /// the smallest value with at least p % of the sample at or below it. Null for an empty sample.
    /// </summary>
    public static double? NearestRank(IEnumerable<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (percentile is <= 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "percentile must be in (0, 100]");
        }

        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
