using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Observability.Prometheus;

/// <summary>Maps the scrape endpoint.</summary>
public static class PrometheusEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Answers <c>GET <paramref name="pattern"/></c> with the collector's text
    /// (<see cref="PrometheusText.ContentType"/>). Needs <c>AddPrometheusMetrics</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);

        // Resolve now: a missing AddPrometheusMetrics fails at startup, and the listener starts early.
        var collector = endpoints.ServiceProvider.GetService<IPrometheusCollector>()
            ?? throw new InvalidOperationException(
                $"{nameof(MapPrometheusMetrics)} needs services.{nameof(PrometheusMetricsServiceCollectionExtensions.AddPrometheusMetrics)}(...) first.");

        return endpoints.MapGet(pattern, async context =>
        {
            var body = Encoding.UTF8.GetBytes(collector.Collect());
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = PrometheusText.ContentType;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        });
    }
}
