using Kuryr.Config.Options;
using Kuryr.Controller.Hosting;
using Kuryr.Kubernetes.LeaderElection;
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
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<MetricsServer>();
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.TrackLeader(elector);
        var app = KestrelApp.Create(options.Value.ControllerExporterPort, loggerFactory, s => s.AddSingleton(collector));
        app.MapPrometheusMetrics("/metrics");
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        endpoints.Metrics = KestrelApp.BoundAddress(app);
        LogListening(_logger, endpoints.Metrics);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
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
