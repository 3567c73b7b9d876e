using Kuryr.Agent.Hosting;
using Kuryr.Config.Options;
using Kuryr.Observability.Prometheus;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Metrics;

/// <summary>Kestrel on <c>[prometheus_exporter] cni_exporter_port</c> serving <c>/metrics</c>.</summary>
internal sealed partial class AgentMetricsServer(
    IPrometheusCollector collector,
    IOptions<PrometheusExporterOptions> options,
    AgentEndpoints endpoints,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AgentMetricsServer>();
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var app = KestrelApp.Create(options.Value.CniExporterPort, loggerFactory, s => s.AddSingleton(collector));
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

    [LoggerMessage(EventId = 6960, Level = LogLevel.Information, Message = "Prometheus metrics on {Address}metrics")]
    private static partial void LogListening(ILogger logger, Uri address);
}

/// <summary>Composition of the agent's metrics.</summary>
public static class AgentMetricsServiceCollectionExtensions
{
    /// <summary>Adds <see cref="AgentMetrics"/> and exports meter Kuryr.Agent on <c>/metrics</c>.</summary>
    public static IServiceCollection AddKuryrAgentMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton<AgentMetrics>();
        services.AddPrometheusMetrics(AgentMetrics.MeterName);
        services.TryAddSingleton<AgentEndpoints>();
        services.AddSingleton<IHostedService, AgentMetricsServer>();
        return services;
    }
}
