using Kuryr.LocalCluster.Summary;

namespace Kuryr.LocalCluster.Tests.Summary;

public sealed class PrometheusTextTests
{
    private const string Scrape = """
        # HELP kuryr_neutron_requests_total HTTP exchanges with Neutron
        # TYPE kuryr_neutron_requests_total counter
        kuryr_neutron_requests_total{method="GET",operation="list_ports",status="success"} 12
        kuryr_neutron_requests_total{method="POST",operation="create_ports",status="success"} 3
        kuryr_neutron_requests_total{method="POST",operation="create_ports",status="server_error"} 1
        kuryr_neutron_requests_total_extra 1000
        kuryr_neutron_request_duration_seconds_count{operation="list_ports"} 99
        # HELP kuryr_pools_available Available ports per pool
        kuryr_pools_available{pool="a"} 3
        kuryr_pools_available{pool="b"} 2.5
        plain_gauge 1E+2
        """;

    [Fact]
    public void Sums_every_series_of_the_metric_and_only_it() =>
        Assert.Equal(16, PrometheusText.Sum(Scrape, "kuryr_neutron_requests_total"));

    [Fact]
    public void Label_filter_keeps_matching_series() =>
        Assert.Equal(4, PrometheusText.Sum(Scrape, "kuryr_neutron_requests_total", ("method", "POST")));

    [Fact]
    public void Several_labels_must_all_match() =>
        Assert.Equal(1, PrometheusText.Sum(Scrape, "kuryr_neutron_requests_total", ("method", "POST"), ("status", "server_error")));

    [Fact]
    public void Fractional_and_exponent_values_and_unlabelled_series()
    {
        Assert.Equal(5.5, PrometheusText.Sum(Scrape, "kuryr_pools_available"));
        Assert.Equal(100, PrometheusText.Sum(Scrape, "plain_gauge"));
    }

    [Fact]
    public void Absent_metric_sums_to_zero() => Assert.Equal(0, PrometheusText.Sum(Scrape, "kuryr_nothing_total"));

    [Fact]
    public void Crlf_line_ends_are_accepted() =>
        Assert.Equal(3, PrometheusText.Sum("m{a=\"1\"} 1\r\nm{a=\"2\"} 2\r\n", "m"));

    [Fact]
    public void A_sample_without_value_is_a_format_error() =>
        Assert.Throws<FormatException>(() => PrometheusText.Sum("m{a=\"1\"} \n", "m"));
}
