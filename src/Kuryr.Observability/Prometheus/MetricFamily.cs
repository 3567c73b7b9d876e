using System.Collections.Concurrent;
using System.Text;

namespace Kuryr.Observability.Prometheus;

/// <summary>One exported metric name: its HELP, TYPE and one series per label set.</summary>
internal sealed class MetricFamily
{
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

    public MetricFamily(string name, string? help, PrometheusMetricType type, bool observable, double[] boundaries)
    {
        Name = name;
        Help = help;
        Type = type;
        Observable = observable;
        Boundaries = boundaries;
    }

    public string Name { get; }

    public string? Help { get; }

    public PrometheusMetricType Type { get; }

    /// <summary>Filled at scrape time only (cleared before each observation).</summary>
    public bool Observable { get; }

    /// <summary>Histogram upper bounds, strictly increasing, without <c>+Inf</c>.</summary>
    public double[] Boundaries { get; }

    /// <param name="labels">Rendered label pairs without braces (<c>a="x",b="y"</c>), or empty.</param>
    public void Add(string labels, double delta)
    {
        var series = GetSeries(labels);
        lock (series.Gate)
        {
            series.Value += delta;
        }
    }

    public void Set(string labels, double value)
    {
        var series = GetSeries(labels);
        lock (series.Gate)
        {
            series.Value = value;
        }
    }

    public void Observe(string labels, double value)
    {
        var index = Array.BinarySearch(Boundaries, value);
        if (index < 0)
        {
            index = ~index;
        }

        var series = GetSeries(labels);
        lock (series.Gate)
        {
            series.Buckets![index]++;
            series.Sum += value;
            series.Count++;
        }
    }

    public void Clear() => _series.Clear();

    public void WriteTo(StringBuilder text)
    {
        var keys = _series.Keys.ToArray();
        if (keys.Length == 0)
        {
            return;
        }

        Array.Sort(keys, StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(Help))
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(PrometheusText.EscapeHelp(Help)).Append('\n');
        }

        text.Append("# TYPE ").Append(Name).Append(' ').Append(TypeName(Type)).Append('\n');
        foreach (var labels in keys)
        {
            if (!_series.TryGetValue(labels, out var series))
            {
                continue;
            }

            if (Type == PrometheusMetricType.Histogram)
            {
                WriteHistogram(text, labels, series);
            }
            else
            {
                double value;
                lock (series.Gate)
                {
                    value = series.Value;
                }

                Sample(text, Name, labels, value);
            }
        }
    }

    private void WriteHistogram(StringBuilder text, string labels, Series series)
    {
        long[] buckets;
        double sum;
        long count;
        lock (series.Gate)
        {
            buckets = (long[])series.Buckets!.Clone();
            sum = series.Sum;
            count = series.Count;
        }

        var bucketName = Name + "_bucket";
        var prefix = labels.Length == 0 ? "le=\"" : labels + ",le=\"";
        long cumulative = 0;
        for (var i = 0; i < Boundaries.Length; i++)
        {
            cumulative += buckets[i];
            Sample(text, bucketName, prefix + PrometheusText.FormatValue(Boundaries[i]) + "\"", cumulative);
        }

        Sample(text, bucketName, prefix + "+Inf\"", count);
        Sample(text, Name + "_sum", labels, sum);
        Sample(text, Name + "_count", labels, count);
    }

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(PrometheusText.FormatValue(value)).Append('\n');
    }

    private static string TypeName(PrometheusMetricType type) => type switch
    {
        PrometheusMetricType.Counter => "counter",
        PrometheusMetricType.Histogram => "histogram",
        _ => "gauge",
    };

    private Series GetSeries(string labels) =>
        _series.GetOrAdd(labels, static (_, family) => new Series(family.Type == PrometheusMetricType.Histogram ? family.Boundaries.Length + 1 : 0), this);

    private sealed class Series(int buckets)
    {
        public Lock Gate { get; } = new();

        public double Value { get; set; }

        public long[]? Buckets { get; } = buckets == 0 ? null : new long[buckets];

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
