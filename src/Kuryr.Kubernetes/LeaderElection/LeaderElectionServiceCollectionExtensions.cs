using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.LeaderElection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI registration of the leader elector.</summary>
public static class LeaderElectionServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="ILeaderElector"/> configured from <see cref="LeaderElectionOptions"/>
    /// (needs an <see cref="IKubernetesClient"/> and logging). Run it with <see cref="ILeaderElector.RunAsync"/>.
    /// </summary>
    public static IServiceCollection AddLeaderElection(this IServiceCollection services, Action<LeaderElectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<LeaderElectionOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILeaderElector>(sp => new LeaderElector(
            sp.GetRequiredService<IKubernetesClient>(),
            sp.GetRequiredService<IOptions<LeaderElectionOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Kuryr.Kubernetes.LeaderElection")));
        return services;
    }
}
