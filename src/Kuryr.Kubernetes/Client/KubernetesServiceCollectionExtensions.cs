using Kuryr.Kubernetes.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuryr.Kubernetes.Client;

public static class KubernetesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IKubernetesClient"/> (singleton). The server comes from
    /// <see cref="KubernetesClientOptions"/> (kubeconfig, in-cluster or <c>api_root</c>), resolved on first use.
    /// </summary>
    public static IServiceCollection AddKubernetesClient(this IServiceCollection services, Action<KubernetesClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<KubernetesClientOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKubernetesClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KubernetesClientOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            return new KubernetesClient(KubernetesConfigResolver.Resolve(options, time), options, time, Logger(sp));
        });
        return services;
    }

    /// <summary>Registers <see cref="IKubernetesClient"/> for an explicit configuration.</summary>
    public static IServiceCollection AddKubernetesClient(this IServiceCollection services, KubernetesClientConfiguration configuration,
        Action<KubernetesClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KubernetesClientOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKubernetesClient>(sp =>
            new KubernetesClient(configuration, sp.GetRequiredService<IOptions<KubernetesClientOptions>>().Value, sp.GetRequiredService<TimeProvider>(), Logger(sp)));
        return services;
    }

    private static ILogger Logger(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger("Kuryr.Kubernetes.Client") ?? NullLogger.Instance;
}

/// <summary>Builds a client without DI (tools, tests).</summary>
public static class KubernetesClientFactory
{
    public static IKubernetesClient Create(KubernetesClientConfiguration configuration, KubernetesClientOptions? options = null,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new KubernetesClient(configuration, options ?? new KubernetesClientOptions(), timeProvider ?? TimeProvider.System,
            loggerFactory?.CreateLogger("Kuryr.Kubernetes.Client") ?? NullLogger.Instance);
    }
}
