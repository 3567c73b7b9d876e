using Kuryr.Agent.Hosting;
using Kuryr.Config.Options;
using Kuryr.Observability.Hosting;
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
    ILoggerFactory loggerFactory) : PortServer(loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AgentMetricsServer>();

    protected override int Port => options.Value.CniExporterPort;

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton(collector);

    protected override void Map(WebApplication app) => app.MapPrometheusMetrics("/metrics");

    protected override void OnStarted(Uri address)
    {
        endpoints.Metrics = address;
        LogListening(_logger, address);
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
