using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuryr.Observability.Prometheus;

/// <summary>
/// A <see cref="MeterListener"/> on the configured meters that aggregates every measurement per
/// exported name and label set, and renders them in the Prometheus text format 0.0.4.
/// </summary>
/// <remarks>
/// Instruments whose exported names collide share one family when their TYPE agrees (the first
/// instrument's HELP and boundaries win); an instrument whose TYPE disagrees is not exported (logged).
/// Counters ignore negative increments and histograms ignore NaN.
/// </remarks>
internal sealed partial class PrometheusCollector : IPrometheusCollector, IDisposable
{
    private readonly MeterListener _listener;
    private readonly Func<string, bool> _meterFilter;
    private readonly PrometheusMetricsOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _labelNames = new(StringComparer.Ordinal);
    private readonly Lock _registration = new();
    private readonly Lock _scrape = new();

    public PrometheusCollector(IOptions<PrometheusMetricsOptions> options, ILogger<PrometheusCollector>? logger = null)
    {
        _options = options.Value;
        Validate(_options);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _meterFilter = MeterFilter(_options.Meters);

        _listener = new MeterListener { InstrumentPublished = OnInstrumentPublished };
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => OnMeasurement(v, t, s));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => OnMeasurement(v, t, s));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => OnMeasurement(v, t, s));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => OnMeasurement(v, t, s));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => OnMeasurement(v, t, s));
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => OnMeasurement(v, t, s));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => OnMeasurement((double)v, t, s));
        _listener.Start();
    }

    private enum Action
    {
        Increment,
        Add,
        Set,
        Observe,
    }

    public string Collect()
    {
        lock (_scrape)
        {
            foreach (var family in _families.Values)
            {
                if (family.Observable)
                {
                    family.Clear();
                }
            }

            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (AggregateException ex)
            {
                // Every callback ran; the ones that threw are reported together.
                Log.ObservableCallbacksFailed(_logger, ex.InnerExceptions.Count, ex);
            }

            var families = _families.Values.ToArray();
            Array.Sort(families, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var text = new StringBuilder();
            foreach (var family in families)
            {
                family.WriteTo(text);
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Throws naming the option when histogram boundaries are not finite and strictly increasing.</summary>
    internal static void Validate(PrometheusMetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckBoundaries(options.HistogramBoundaries, nameof(PrometheusMetricsOptions.HistogramBoundaries));
        foreach (var (instrument, boundaries) in options.InstrumentHistogramBoundaries)
        {
            CheckBoundaries(boundaries, $"{nameof(PrometheusMetricsOptions.InstrumentHistogramBoundaries)}[{instrument}]");
        }

        foreach (var meter in options.Meters)
        {
            if (string.IsNullOrWhiteSpace(meter))
            {
                throw new OptionsValidationException(nameof(PrometheusMetricsOptions), typeof(PrometheusMetricsOptions),
                    [$"{nameof(PrometheusMetricsOptions.Meters)}: a meter name is empty"]);
            }
        }
    }

    private static void CheckBoundaries(IList<double>? boundaries, string field)
    {
        if (boundaries is null)
        {
            throw new OptionsValidationException(nameof(PrometheusMetricsOptions), typeof(PrometheusMetricsOptions),
                [$"{field}: boundaries are required (an empty list gives only the +Inf bucket)"]);
        }

        for (var i = 0; i < boundaries.Count; i++)
        {
            if (!double.IsFinite(boundaries[i]) || (i > 0 && boundaries[i] <= boundaries[i - 1]))
            {
                throw new OptionsValidationException(nameof(PrometheusMetricsOptions), typeof(PrometheusMetricsOptions),
                    [$"{field}: boundaries must be finite and strictly increasing; element {i} is {boundaries[i]}"]);
            }
        }
    }

    private static Func<string, bool> MeterFilter(IEnumerable<string> meters)
    {
        var exact = new HashSet<string>(StringComparer.Ordinal);
        var prefixes = new List<string>();
        foreach (var meter in meters)
        {
            if (meter.EndsWith(".*", StringComparison.Ordinal))
            {
                prefixes.Add(meter[..^1]);
            }
            else
            {
                exact.Add(meter);
            }
        }

        return name => exact.Contains(name) || prefixes.Exists(p => name.StartsWith(p, StringComparison.Ordinal));
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_meterFilter(instrument.Meter.Name) || !TryClassify(instrument, out var type, out var action, out var observable))
        {
            return;
        }

        var name = PrometheusText.MetricName(instrument.Name, instrument.Unit, type);
        MetricFamily family;
        lock (_registration)
        {
            if (!_families.TryGetValue(name, out var existing))
            {
                existing = new MetricFamily(name, instrument.Description, type, observable,
                    type == PrometheusMetricType.Histogram ? Boundaries(instrument) : []);
                _families[name] = existing;
            }
            else if (existing.Type != type || existing.Observable != observable)
            {
                Log.InstrumentNameConflict(_logger, instrument.Meter.Name, instrument.Name, name);
                return;
            }

            family = existing;
        }

        listener.EnableMeasurementEvents(instrument, new Binding(family, action));
    }

    private double[] Boundaries(Instrument instrument)
    {
        if (_options.InstrumentHistogramBoundaries.TryGetValue(instrument.Name, out var configured))
        {
            return [.. configured];
        }

        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        if (advised is not null && advised.All(double.IsFinite) && advised.Zip(advised.Skip(1)).All(p => p.First < p.Second))
        {
            return advised;
        }

        return [.. _options.HistogramBoundaries];
    }

    private static bool TryClassify(Instrument instrument, out PrometheusMetricType type, out Action action, out bool observable)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        (type, action, observable) = definition switch
        {
            _ when definition == typeof(Counter<>) => (PrometheusMetricType.Counter, Action.Increment, false),
            _ when definition == typeof(UpDownCounter<>) => (PrometheusMetricType.Gauge, Action.Add, false),
            _ when definition == typeof(Histogram<>) => (PrometheusMetricType.Histogram, Action.Observe, false),
            _ when definition == typeof(Gauge<>) => (PrometheusMetricType.Gauge, Action.Set, false),
            _ when definition == typeof(ObservableCounter<>) => (PrometheusMetricType.Counter, Action.Set, true),
            _ when definition == typeof(ObservableUpDownCounter<>) => (PrometheusMetricType.Gauge, Action.Set, true),
            _ when definition == typeof(ObservableGauge<>) => (PrometheusMetricType.Gauge, Action.Set, true),
            _ => ((PrometheusMetricType)(-1), Action.Set, false),
        };
        return (int)type >= 0;
    }

    private void OnMeasurement(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (state is not Binding binding)
        {
            return;
        }

        var family = binding.Family;
        switch (binding.Action)
        {
            case Action.Increment when value >= 0:
                family.Add(Labels(tags, family.Type), value);
                break;
            case Action.Add:
                family.Add(Labels(tags, family.Type), value);
                break;
            case Action.Set:
                family.Set(Labels(tags, family.Type), value);
                break;
            case Action.Observe when !double.IsNaN(value):
                family.Observe(Labels(tags, family.Type), value);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Label pairs sorted by sanitized name, without braces. Tags whose names sanitize to the same
    /// label are joined with <c>;</c> (in the order of their original names); a histogram's
    /// <c>le</c> tag becomes <c>_le</c>.
    /// </summary>
    private string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags, PrometheusMetricType type)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new (string Name, string Original, string Value)[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            var key = tags[i].Key ?? "";
            var name = _labelNames.GetOrAdd(key, PrometheusText.SanitizeLabelName);
            if (type == PrometheusMetricType.Histogram && name == "le")
            {
                name = "_le";
            }

            pairs[i] = (name, key, PrometheusText.FormatTagValue(tags[i].Value));
        }

        Array.Sort(pairs, static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Original, b.Original);
        });

        var text = new StringBuilder();
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0 && pairs[i].Name == pairs[i - 1].Name)
            {
                text.Length--; // reopen the previous value
                text.Append(';').Append(PrometheusText.EscapeLabelValue(pairs[i].Value)).Append('"');
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(pairs[i].Name).Append("=\"").Append(PrometheusText.EscapeLabelValue(pairs[i].Value)).Append('"');
        }

        return text.ToString();
    }

    private sealed record Binding(MetricFamily Family, Action Action);
}
