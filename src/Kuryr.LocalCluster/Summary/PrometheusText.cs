using System.Globalization;

namespace Kuryr.LocalCluster.Summary;

/// <summary>Reads series out of a Prometheus text exposition (what /metrics answers).</summary>
public static class PrometheusText
{
    /// <summary>
    /// The sum of every sample of <paramref name="metric"/> (exact name, any labels) whose labels
    /// contain all of <paramref name="labels"/> (<c>name="value"</c> pairs); 0 when there is none.
    /// </summary>
    public static double Sum(string exposition, string metric, params (string Name, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        ArgumentException.ThrowIfNullOrEmpty(metric);
        double sum = 0;
        foreach (var raw in exposition.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#' || !line.StartsWith(metric, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line.AsSpan(metric.Length);
            string labelText;
            if (rest.Length > 0 && rest[0] == '{')
            {
                var close = rest.LastIndexOf('}');
                if (close < 0)
                {
                    throw new FormatException($"unterminated label set: {line}");
                }

                labelText = rest[1..close].ToString();
                rest = rest[(close + 1)..];
            }
            else if (rest.Length > 0 && rest[0] == ' ')
            {
                labelText = "";
            }
            else
            {
                continue; // another metric sharing the prefix (e.g. metric_bucket)
            }

            if (!labels.All(l => labelText.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                continue;
            }

            var fields = rest.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new FormatException($"no sample value: {line}");
            }

            sum += value;
        }

        return sum;
    }
}
