using Kuryr.Observability.Prometheus;

namespace Kuryr.Observability.Tests.Prometheus;

public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData("kuryr.pools.takes", "kuryr_pools_takes")]
    [InlineData("kuryr-cni/request duration", "kuryr_cni_request_duration")]
    [InlineData("ns:sub.metric", "ns:sub_metric")]
    [InlineData("9lives", "_9lives")]
    [InlineData("", "_")]
    [InlineData("é", "_")]
    public void Metric_names_are_sanitized(string name, string expected) =>
        Assert.Equal(expected, PrometheusText.SanitizeMetricName(name));

    [Theory]
    [InlineData("pool", "pool")]
    [InlineData("http.status:code", "http_status_code")]
    [InlineData("1st", "_1st")]
    [InlineData("", "_")]
    public void Label_names_are_sanitized_without_colons(string name, string expected) =>
        Assert.Equal(expected, PrometheusText.SanitizeLabelName(name));

    [Theory]
    [InlineData("kuryr.cni.request.duration", "s", "Histogram", "kuryr_cni_request_duration_seconds")]
    [InlineData("kuryr_cni_request_duration_seconds", "s", "Histogram", "kuryr_cni_request_duration_seconds")]
    [InlineData("kuryr_pod_creation_latency", null, "Histogram", "kuryr_pod_creation_latency")]
    [InlineData("kuryr.pools.takes", null, "Counter", "kuryr_pools_takes_total")]
    [InlineData("kuryr.neutron.requests_total", null, "Counter", "kuryr_neutron_requests_total")]
    [InlineData("kuryr.neutron.requests_total", "{request}", "Counter", "kuryr_neutron_requests_total")]
    [InlineData("io.time_total", "s", "Counter", "io_time_seconds_total")]
    [InlineData("payload", "By", "Gauge", "payload_bytes")]
    [InlineData("rate", "1/s", "Gauge", "rate_per_second")]
    [InlineData("ratio", "1", "Gauge", "ratio")]
    [InlineData("queue_total", null, "Gauge", "queue_total")]
    [InlineData("_total", null, "Counter", "_total_total")]
    public void Exported_names_carry_the_unit_and_total_once(string name, string? unit, string type, string expected) =>
        Assert.Equal(expected, PrometheusText.MetricName(name, unit, Enum.Parse<PrometheusMetricType>(type)));

    [Fact]
    public void Help_escapes_backslashes_and_line_feeds_but_not_quotes() =>
        Assert.Equal("a \\\\ b\\nc \"d\"", PrometheusText.EscapeHelp("a \\ b\nc \"d\""));

    [Fact]
    public void Label_values_escape_backslashes_quotes_and_line_feeds() =>
        Assert.Equal("a \\\\ b\\nc \\\"d\\\"", PrometheusText.EscapeLabelValue("a \\ b\nc \"d\""));

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.005, "0.005")]
    [InlineData(2.5, "2.5")]
    [InlineData(-3.0, "-3")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(1e20, "1E+20")]
    public void Values_use_the_invariant_round_trip_form(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatValue(value));
}
