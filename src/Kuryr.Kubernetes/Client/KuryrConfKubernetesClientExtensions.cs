using Kuryr.Config.Options;
using Kuryr.Kubernetes.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuryr.Kubernetes.Client;

/// <summary>The API client of kuryr-controller and kuryr-agent, configured by kuryr.conf.</summary>
public static class KuryrConfKubernetesClientExtensions
{
    /// <summary>
    /// <see cref="KubernetesServiceCollectionExtensions.AddKubernetesClient(IServiceCollection, Action{KubernetesClientOptions}?)"/>
    /// with <see cref="KubernetesClientOptions"/> read from the validated <c>[kubernetes]</c> section
    /// (<see cref="KubernetesOptions"/>): one source of truth.
    /// </summary>
    public static IServiceCollection AddKuryrKubernetesClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddKubernetesClient();
        services.AddOptions<KubernetesClientOptions>().Configure<IOptions<KubernetesOptions>>((c, k) => CopyClientOptions(k.Value, c));
        return services;
    }

    internal static void CopyClientOptions(KubernetesOptions k, KubernetesClientOptions c)
    {
        c.ApiRoot = k.ApiRoot;
        c.SslClientCrtFile = k.SslClientCrtFile;
        c.SslClientKeyFile = k.SslClientKeyFile;
        c.SslCaCrtFile = k.SslCaCrtFile;
        c.SslVerifyServerCrt = k.SslVerifyServerCrt;
        c.TokenFile = k.TokenFile;
        c.KubeConfig = k.KubeConfig;
        c.KubeConfigContext = k.KubeConfigContext;
        c.Qps = k.Qps;
        c.Burst = k.Burst;
        c.RequestTimeout = k.RequestTimeoutSeconds;
        c.FinalizerMaxAttempts = k.FinalizerMaxAttempts;
    }
}
