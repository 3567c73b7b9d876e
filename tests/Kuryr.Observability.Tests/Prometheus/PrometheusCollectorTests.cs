using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Kuryr.Observability.Prometheus;
using Microsoft.Extensions.Options;

namespace Kuryr.Observability.Tests.Prometheus;

public sealed partial class PrometheusCollectorTests
{
    [Fact]
    public void A_counter_sums_per_tag_set_and_ends_in_total()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name);
        var takes = meter.CreateCounter<long>("kuryr.pools.takes", description: "Ports handed out");

        takes.Add(2, Tag("kind", "match"));
        takes.Add(3, Tag("kind", "match"));
        takes.Add(1, Tag("kind", "swap"));
        takes.Add(-5, Tag("kind", "swap")); // a counter never goes down

        Assert.Equal(
            "# HELP kuryr_pools_takes_total Ports handed out\n" +
            "# TYPE kuryr_pools_takes_total counter\n" +
            "kuryr_pools_takes_total{kind=\"match\"} 5\n" +
            "kuryr_pools_takes_total{kind=\"swap\"} 1\n",
            collector.Collect());
    }

    [Fact]
    public void An_up_down_counter_is_a_gauge_that_adds()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name);
        var inFlight = meter.CreateUpDownCounter<int>("bulk.in_flight");

        inFlight.Add(3);
        inFlight.Add(-1);

        Assert.Equal("# TYPE bulk_in_flight gauge\nbulk_in_flight 2\n", collector.Collect());
    }

    [Fact]
    public void A_gauge_keeps_the_last_value()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name);
        var gauge = meter.CreateGauge<double>("temperature", "Cel", "Last reading");

        gauge.Record(20.5);
        gauge.Record(19.25);

        Assert.Equal("# HELP temperature_Cel Last reading\n# TYPE temperature_Cel gauge\ntemperature_Cel 19.25\n", collector.Collect());
    }

    [Fact]
    public void Observable_instruments_are_read_at_each_scrape_and_drop_vanished_series()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name);
        var available = new Dictionary<string, long> { ["a"] = 3, ["b"] = 7 };
        long created = 10;
        long queued = -2;
        meter.CreateObservableGauge("kuryr.pools.available",
            () => available.Select(kv => new Measurement<long>(kv.Value, Tag("pool", kv.Key))), description: "Available ports");
        meter.CreateObservableCounter("ports.created", () => created);
        meter.CreateObservableUpDownCounter("queue.depth", () => queued);

        Assert.Equal(
            "# HELP kuryr_pools_available Available ports\n" +
            "# TYPE kuryr_pools_available gauge\n" +
            "kuryr_pools_available{pool=\"a\"} 3\n" +
            "kuryr_pools_available{pool=\"b\"} 7\n" +
            "# TYPE ports_created_total counter\n" +
            "ports_created_total 10\n" +
            "# TYPE queue_depth gauge\n" +
            "queue_depth -2\n",
            collector.Collect());

        available.Remove("a");
        available["b"] = 4;
        created = 12;
        queued = 0;

        Assert.Equal(
            "# HELP kuryr_pools_available Available ports\n" +
            "# TYPE kuryr_pools_available gauge\n" +
            "kuryr_pools_available{pool=\"b\"} 4\n" +
            "# TYPE ports_created_total counter\n" +
            "ports_created_total 12\n" +
            "# TYPE queue_depth gauge\n" +
            "queue_depth 0\n",
            collector.Collect());
    }

    [Fact]
    public void A_failing_observable_callback_leaves_the_other_metrics_in_the_scrape()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name);
        meter.CreateObservableGauge<long>("broken", new Func<long>(() => throw new InvalidOperationException("redis down")));
        meter.CreateObservableGauge("fine", () => 1L);

        Assert.Equal("# TYPE fine gauge\nfine 1\n", collector.Collect());
    }

    [Fact]
    public void A_histogram_has_cumulative_buckets_ending_in_inf_then_sum_and_count()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name, o => o.HistogramBoundaries = [0.1, 1, 10]);
        var duration = meter.CreateHistogram<double>("kuryr.cni.request.duration", "s", "CNI request duration");

        foreach (var value in new[] { 0.05, 0.1, 0.5, 2, 20, 30 })
        {
            duration.Record(value, Tag("command", "ADD"), Tag("error", "false"));
        }

        duration.Record(double.NaN, Tag("command", "ADD"), Tag("error", "false")); // ignored

        Assert.Equal(
            "# HELP kuryr_cni_request_duration_seconds CNI request duration\n" +
            "# TYPE kuryr_cni_request_duration_seconds histogram\n" +
            "kuryr_cni_request_duration_seconds_bucket{command=\"ADD\",error=\"false\",le=\"0.1\"} 2\n" +
            "kuryr_cni_request_duration_seconds_bucket{command=\"ADD\",error=\"false\",le=\"1\"} 3\n" +
            "kuryr_cni_request_duration_seconds_bucket{command=\"ADD\",error=\"false\",le=\"10\"} 4\n" +
            "kuryr_cni_request_duration_seconds_bucket{command=\"ADD\",error=\"false\",le=\"+Inf\"} 6\n" +
            "kuryr_cni_request_duration_seconds_sum{command=\"ADD\",error=\"false\"} 52.65\n" +
            "kuryr_cni_request_duration_seconds_count{command=\"ADD\",error=\"false\"} 6\n",
            collector.Collect());
    }

    [Fact]
    public void Histogram_boundaries_come_from_the_instrument_option_then_the_advice_then_the_default()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name, o => o.InstrumentHistogramBoundaries["configured"] = [5]);
        var configured = meter.CreateHistogram<double>("configured", null, null, null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2] });
        var advised = meter.CreateHistogram<double>("advised", null, null, null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2] });
        var plain = meter.CreateHistogram<long>("plain");
        configured.Record(1);
        advised.Record(1);
        plain.Record(1);

        var text = collector.Collect();

        Assert.Equal(["1", "2", "+Inf"], Les(text, "advised"));
        Assert.Equal(["5", "+Inf"], Les(text, "configured"));
        Assert.Equal([.. PrometheusMetricsOptions.DefaultBoundaries.Select(PrometheusText.FormatValue), "+Inf"], Les(text, "plain"));
    }

    [Fact]
    public void A_histogram_le_tag_does_not_clash_with_the_bucket_label()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name, o => o.HistogramBoundaries = [1]);
        meter.CreateHistogram<int>("h").Record(1, Tag("le", "x"));

        Assert.Equal(
            "# TYPE h histogram\nh_bucket{_le=\"x\",le=\"1\"} 1\nh_bucket{_le=\"x\",le=\"+Inf\"} 1\nh_sum{_le=\"x\"} 1\nh_count{_le=\"x\"} 1\n",
            collector.Collect());
    }

    [Fact]
    public void Names_help_and_label_values_are_sanitized_and_escaped()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name);
        var counter = meter.CreateCounter<long>("my-app.requests", description: "Line one\nback\\slash \"quoted\"");

        counter.Add(1, Tag("http.route", "/a\\b\n\"c\""), Tag("9code", 404));

        Assert.Equal(
            "# HELP my_app_requests_total Line one\\nback\\\\slash \"quoted\"\n" +
            "# TYPE my_app_requests_total counter\n" +
            "my_app_requests_total{_9code=\"404\",http_route=\"/a\\\\b\\n\\\"c\\\"\"} 1\n",
            collector.Collect());
    }

    [Fact]
    public void Tags_that_sanitize_to_one_label_are_joined_in_the_order_of_their_names()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name);
        var counter = meter.CreateCounter<long>("c");

        counter.Add(1, Tag("a_b", "2"), Tag("a.b", "1"));

        Assert.Equal("# TYPE c_total counter\nc_total{a_b=\"1;2\"} 1\n", collector.Collect());
    }

    [Fact]
    public void Output_is_sorted_by_name_then_labels_whatever_the_recording_order()
    {
        using var meterA = NewMeter();
        using var meterB = NewMeter();
        using var first = Collector([meterA.Name]);
        using var second = Collector([meterB.Name]);

        Record(meterA, ["zeta", "alpha", "mid"], ["z", "a", "m"]);
        Record(meterB, ["mid", "zeta", "alpha"], ["m", "a", "z"]);

        var text = first.Collect();
        Assert.Equal(text, second.Collect());
        Assert.Equal(text, first.Collect());
        var names = text.Split('\n').Where(l => l.StartsWith("# TYPE", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToArray();
        Assert.Equal(["alpha_total", "mid_total", "zeta_total"], names);
        Assert.Contains("alpha_total{k=\"a\",x=\"1\"} 1\nalpha_total{k=\"m\",x=\"1\"} 1\nalpha_total{k=\"z\",x=\"1\"} 1\n", text);

        static void Record(Meter meter, string[] names, string[] values)
        {
            foreach (var name in names)
            {
                var counter = meter.CreateCounter<int>(name);
                foreach (var value in values)
                {
                    counter.Add(1, Tag("x", "1"), Tag("k", value)); // tags in a non-sorted order
                }
            }
        }
    }

    [Fact]
    public void Only_the_configured_meters_are_exported_and_a_trailing_star_is_a_prefix()
    {
        var id = Guid.NewGuid().ToString("N");
        using var kept = new Meter($"T{id}.Pools");
        using var alsoKept = new Meter($"T{id}.Neutron.Sub");
        using var ignored = new Meter($"U{id}.Pools");
        using var collector = Collector([$"T{id}.Pools", $"T{id}.Neutron.*"]);
        kept.CreateCounter<int>("kept").Add(1);
        alsoKept.CreateCounter<int>("also_kept").Add(1);
        ignored.CreateCounter<int>("ignored").Add(1);

        Assert.Equal("# TYPE also_kept_total counter\nalso_kept_total 1\n# TYPE kept_total counter\nkept_total 1\n", collector.Collect());
    }

    [Fact]
    public void Instruments_with_one_exported_name_share_a_family_unless_their_types_differ()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name);
        meter.CreateCounter<long>("requests", description: "first").Add(1, Tag("via", "a"));
        meter.CreateCounter<double>("requests_total", description: "second").Add(2, Tag("via", "b"));
        meter.CreateUpDownCounter<long>("requests.total").Add(5); // would be a gauge named requests_total: left out

        Assert.Equal(
            "# HELP requests_total first\n# TYPE requests_total counter\nrequests_total{via=\"a\"} 1\nrequests_total{via=\"b\"} 2\n",
            collector.Collect());
    }

    [Fact]
    public void Concurrent_recording_loses_no_measurement()
    {
        using var meter = NewMeter();
        using var collector = Collector(meter.Name, o => o.HistogramBoundaries = [0.5]);
        var counter = meter.CreateCounter<long>("c");
        var histogram = meter.CreateHistogram<double>("h");

        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 2000; i++)
            {
                counter.Add(1, Tag("w", worker % 2));
                histogram.Record(i % 2);
                if (i % 500 == 0)
                {
                    collector.Collect();
                }
            }
        });

        var text = collector.Collect();
        Assert.Contains("c_total{w=\"0\"} 8000\nc_total{w=\"1\"} 8000\n", text);
        Assert.Contains("h_bucket{le=\"0.5\"} 8000\nh_bucket{le=\"+Inf\"} 16000\nh_sum 8000\nh_count 16000\n", text);
    }

    [Theory]
    [InlineData(new[] { 1.0, 1.0 }, "HistogramBoundaries")]
    [InlineData(new[] { 2.0, 1.0 }, "HistogramBoundaries")]
    [InlineData(new[] { double.NaN }, "HistogramBoundaries")]
    [InlineData(new[] { 1.0, double.PositiveInfinity }, "HistogramBoundaries")]
    public void Bad_default_boundaries_are_refused_naming_the_option(double[] boundaries, string field)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Collector(NewMeterName(), o => o.HistogramBoundaries = boundaries));
        Assert.StartsWith(field + ":", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_instrument_boundaries_are_refused_naming_the_instrument()
    {
        var ex = Assert.Throws<OptionsValidationException>(() =>
            Collector(NewMeterName(), o => o.InstrumentHistogramBoundaries["kuryr.pools.populate.duration"] = [3, 2]));
        Assert.Contains("InstrumentHistogramBoundaries[kuryr.pools.populate.duration]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_metric_and_label_strings_give_lines_of_the_exposition_grammar()
    {
        var chars = Gen.Elements("aZ_:.-9 é\\\"\n\r\t{}=,#".ToCharArray());
        var text = Gen.ArrayOf(chars).Select(cs => new string(cs));
        var nonEmpty = Gen.NonEmptyListOf(chars).Select(cs => new string([.. cs]));
        var units = Gen.Elements<string?>(null, "", "s", "By", "1", "{request}", "1/s", "m/s", "é");
        var cases =
            from name in nonEmpty
            from unit in units
            from help in text
            from key in text
            from value in text
            from sample in Gen.Choose(-1000, 1000)
            select (name, unit, help, key, value, sample / 7.0);

        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(150), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            using var meter = NewMeter();
            using var collector = Collector(meter.Name, o => o.HistogramBoundaries = [-1, 0, 0.5]);
            var tag = Tag(c.key, c.value);
            meter.CreateCounter<double>(c.name, c.unit, c.help).Add(Math.Abs(c.Item6), tag);
            meter.CreateUpDownCounter<double>(c.name + "u", c.unit, c.help).Add(c.Item6, tag);
            meter.CreateHistogram<double>(c.name + "h", c.unit, c.help).Record(c.Item6, tag);
            meter.CreateObservableGauge(c.name + "g", () => new Measurement<double>(c.Item6, tag), c.unit, c.help);

            var output = collector.Collect();

            AssertExpositionGrammar(output);
            // The label value survives escaping: unescaping the counter's value gives it back.
            var counterName = PrometheusText.MetricName(c.name, c.unit, PrometheusMetricType.Counter);
            var line = output.Split('\n').Single(l => l.StartsWith(counterName + "{", StringComparison.Ordinal));
            var escaped = SampleLine().Match(line).Groups["labels"].Value;
            var labelValue = escaped[(escaped.IndexOf('=', StringComparison.Ordinal) + 2)..^1];
            Assert.Equal(c.value, Unescape(labelValue));
        }));
    }

    /// <summary>Each line is a HELP, a TYPE or a sample of the family last typed, ending in a line feed.</summary>
    internal static void AssertExpositionGrammar(string output)
    {
        Assert.EndsWith("\n", output, StringComparison.Ordinal);
        string? family = null;
        string? type = null;
        var typed = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in output[..^1].Split('\n'))
        {
            if (HelpLine().Match(line) is { Success: true } help)
            {
                Assert.DoesNotContain(help.Groups["name"].Value, typed);
                continue;
            }

            if (TypeLine().Match(line) is { Success: true } typeLine)
            {
                family = typeLine.Groups["name"].Value;
                type = typeLine.Groups["type"].Value;
                Assert.True(typed.Add(family), $"family {family} typed twice");
                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a sample line: {line}");
            Assert.NotNull(family);
            var name = sample.Groups["name"].Value;
            string[] allowed = type == "histogram" ? [family + "_bucket", family + "_sum", family + "_count"] : [family];
            Assert.Contains(name, allowed);
            var labelNames = sample.Groups["label"].Captures.Select(c => c.Value).ToArray();
            Assert.Equal(labelNames.Length, labelNames.Distinct(StringComparer.Ordinal).Count());
            Assert.True(series.Add(name + "{" + sample.Groups["labels"].Value + "}"), $"duplicate series: {line}");
        }
    }

    private static string Unescape(string value) =>
        Regex.Replace(value, @"\\(.)", m => m.Groups[1].Value == "n" ? "\n" : m.Groups[1].Value);

    [GeneratedRegex(@"^# HELP (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?:[^\\\n]|\\\\|\\n)*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>(?<label>[a-zA-Z_][a-zA-Z0-9_]*)=""(?:[^""\\\n]|\\\\|\\""|\\n)*""(?:,(?<label>[a-zA-Z_][a-zA-Z0-9_]*)=""(?:[^""\\\n]|\\\\|\\""|\\n)*"")*)\})? (?:[+-]Inf|NaN|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)$")]
    private static partial Regex SampleLine();

    private static string[] Les(string text, string family) =>
        [.. text.Split('\n').Where(l => l.StartsWith(family + "_bucket", StringComparison.Ordinal)).Select(l => Regex.Match(l, "le=\"([^\"]*)\"").Groups[1].Value)];

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private static string NewMeterName() => "Kuryr.Observability.Tests." + Guid.NewGuid().ToString("N");

    private static Meter NewMeter() => new(NewMeterName());

    private static PrometheusCollector Collector(string meter, Action<PrometheusMetricsOptions>? configure = null) =>
        Collector([meter], configure);

    private static PrometheusCollector Collector(string[] meters, Action<PrometheusMetricsOptions>? configure = null)
    {
        var options = new PrometheusMetricsOptions();
        foreach (var meter in meters)
        {
            options.Meters.Add(meter);
        }

        configure?.Invoke(options);
        return new PrometheusCollector(Options.Create(options));
    }
}
