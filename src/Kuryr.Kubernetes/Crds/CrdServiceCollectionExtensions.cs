using Kuryr.Kubernetes.Crds;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI registration of the CRD installer.</summary>
public static class CrdServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ICrdInstaller"/> (needs an <see cref="Kuryr.Kubernetes.Client.IKubernetesClient"/> and logging).</summary>
    public static IServiceCollection AddKuryrCrdInstaller(this IServiceCollection services, Action<CrdInstallerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CrdInstallerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICrdInstaller, CrdInstaller>();
        return services;
    }
}
