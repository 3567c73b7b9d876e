using Kuryr.Config.Options;
using Kuryr.Controller.Hosting;
using Kuryr.Kubernetes.LeaderElection;
using Kuryr.Observability.Hosting;
using Kuryr.Observability.Prometheus;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Metrics;

/// <summary>Kestrel on <c>[prometheus_exporter] controller_exporter_port</c> serving <c>/metrics</c>.</summary>
internal sealed partial class MetricsServer(
    IPrometheusCollector collector,
    ControllerMetrics metrics,
    ILeaderElector elector,
    IOptions<PrometheusExporterOptions> options,
    ControllerEndpoints endpoints,
    ILoggerFactory loggerFactory) : PortServer(loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<MetricsServer>();

    protected override int Port => options.Value.ControllerExporterPort;

    protected override void ConfigureServices(IServiceCollection services)
    {
        metrics.TrackLeader(elector);
        services.AddSingleton(collector);
    }

    protected override void Map(WebApplication app) => app.MapPrometheusMetrics("/metrics");

    protected override void OnStarted(Uri address)
    {
        endpoints.Metrics = address;
        LogListening(_logger, address);
    }

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "Prometheus metrics on {Address}metrics")]
    private static partial void LogListening(ILogger logger, Uri address);
}

/// <summary>Composition of the controller's metrics.</summary>
public static class ControllerMetricsServiceCollectionExtensions
{
    /// <summary>Exports the Kuryr.Pools, Kuryr.Neutron and Kuryr.Controller meters on <c>/metrics</c>.</summary>
    public static IServiceCollection AddKuryrControllerMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.AddPrometheusMetrics("Kuryr.Pools", "Kuryr.Neutron", ControllerMetrics.MeterName);
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton<ControllerEndpoints>(services);
        services.AddSingleton<IHostedService, MetricsServer>();
        return services;
    }
}
