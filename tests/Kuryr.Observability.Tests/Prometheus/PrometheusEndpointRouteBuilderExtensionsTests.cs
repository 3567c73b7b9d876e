using System.Diagnostics.Metrics;
using System.Net;
using Kuryr.Observability.Prometheus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Observability.Tests.Prometheus;

/// <summary>A real Kestrel on 127.0.0.1, real meters, a real HTTP GET.</summary>
public sealed class PrometheusEndpointRouteBuilderExtensionsTests
{
    [Fact]
    public async Task Metrics_recorded_through_real_meters_are_served_on_the_scrape_endpoint()
    {
        var meterName = "Kuryr.Observability.Tests.Http." + Guid.NewGuid().ToString("N");
        await using var app = App(services => services.AddPrometheusMetrics(meterName));
        app.MapPrometheusMetrics("/metrics");
        await app.StartAsync();

        // One meter through the container's IMeterFactory (as NeutronMetrics does), one standalone (as PoolMetrics does).
        var factoryMeter = app.Services.GetRequiredService<IMeterFactory>().Create(meterName);
        using var plainMeter = new Meter(meterName);
        var latency = factoryMeter.CreateHistogram<double>("kuryr_pod_creation_latency", description: "Time taken for a pod to have Kuryr annotations set");
        var cni = plainMeter.CreateHistogram<double>("kuryr.cni.request.duration", "s", "CNI request duration");
        latency.Record(0.3);
        cni.Record(0.02, new KeyValuePair<string, object?>("command", "ADD"), new KeyValuePair<string, object?>("error", "false"));
        long available = 5;
        plainMeter.CreateObservableGauge("kuryr.pools.available", () => available);

        using var http = new HttpClient { BaseAddress = BaseAddress(app) };
        using var first = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var firstText = await first.Content.ReadAsStringAsync();
        available = 4;
        latency.Record(1.5);
        var secondText = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(PrometheusText.ContentType, first.Content.Headers.ContentType?.ToString());
        PrometheusCollectorTests.AssertExpositionGrammar(firstText);
        PrometheusCollectorTests.AssertExpositionGrammar(secondText);
        Assert.Contains("# HELP kuryr_pod_creation_latency Time taken for a pod to have Kuryr annotations set\n# TYPE kuryr_pod_creation_latency histogram\n", firstText);
        Assert.Contains("kuryr_pod_creation_latency_bucket{le=\"0.25\"} 0\nkuryr_pod_creation_latency_bucket{le=\"0.5\"} 1\n", firstText);
        Assert.Contains("kuryr_pod_creation_latency_count 1\n", firstText);
        Assert.Contains("kuryr_cni_request_duration_seconds_bucket{command=\"ADD\",error=\"false\",le=\"0.025\"} 1\n", firstText);
        Assert.Contains("kuryr_pools_available 5\n", firstText);
        Assert.Contains("kuryr_pod_creation_latency_count 2\n", secondText);
        Assert.Contains("kuryr_pod_creation_latency_sum 1.8\n", secondText);
        Assert.Contains("kuryr_pools_available 4\n", secondText);
    }

    [Fact]
    public async Task Measurements_before_the_first_scrape_are_kept_because_the_listener_starts_with_the_host()
    {
        var meterName = "Kuryr.Observability.Tests.Early." + Guid.NewGuid().ToString("N");
        await using var app = App(services => services.AddPrometheusMetrics(meterName));
        app.MapPrometheusMetrics("/custom/metrics");
        await app.StartAsync();
        using var meter = new Meter(meterName);
        meter.CreateCounter<long>("early").Add(3);

        using var http = new HttpClient { BaseAddress = BaseAddress(app) };
        var text = await http.GetStringAsync(new Uri("/custom/metrics", UriKind.Relative));
        using var other = await http.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal("# TYPE early_total counter\nearly_total 3\n", text);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Mapping_without_AddPrometheusMetrics_fails_at_startup_naming_it()
    {
        await using var app = App(_ => { });

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapPrometheusMetrics());

        Assert.Contains("AddPrometheusMetrics", ex.Message, StringComparison.Ordinal);
    }

    private static WebApplication App(Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        configure(builder.Services);
        return builder.Build();
    }

    private static Uri BaseAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
}
