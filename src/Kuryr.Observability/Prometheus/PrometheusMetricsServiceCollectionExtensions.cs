using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Kuryr.Observability.Prometheus;

/// <summary>Registers the <see cref="IPrometheusCollector"/>.</summary>
public static class PrometheusMetricsServiceCollectionExtensions
{
    /// <summary>
    /// Exports the named meters (an entry ending in <c>.*</c> is a prefix). The collector starts
    /// listening when the host starts, so nothing recorded before the first scrape is lost.
    /// </summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services, params string[] meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        return services.AddPrometheusMetrics(options =>
        {
            foreach (var name in meterNames)
            {
                options.Meters.Add(name);
            }
        });
    }

    /// <summary>Exports the meters <paramref name="configure"/> names, with its histogram boundaries.</summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services, Action<PrometheusMetricsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PrometheusMetricsOptions>().Configure(configure);
        services.AddLogging();
        services.TryAddSingleton<PrometheusCollector>();
        services.TryAddSingleton<IPrometheusCollector>(sp => sp.GetRequiredService<PrometheusCollector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PrometheusCollectorStarter>());
        return services;
    }
}

/// <summary>Creates the collector at host start (its listener must run before instruments record).</summary>
internal sealed class PrometheusCollectorStarter(IPrometheusCollector collector) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(collector);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
