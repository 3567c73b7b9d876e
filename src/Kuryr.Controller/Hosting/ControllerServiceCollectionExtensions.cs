using Kuryr.Config;
using Kuryr.Config.Options;
using Kuryr.Controller.Handlers.Namespaces;
using Kuryr.Controller.Handlers.Pipeline;
using Kuryr.Controller.Handlers.Pods;
using Kuryr.Controller.Health;
using Kuryr.Controller.Metrics;
using Kuryr.Controller.MultiVif;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Kubernetes.Events;
using Kuryr.Kubernetes.LeaderElection;
using Kuryr.Pools.DependencyInjection;
using Kuryr.Pools.Events;
using Kuryr.Pools.Management;
using Kuryr.Pools.Manager;
using Kuryr.Pools.Recovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Hosting;

/// <summary>The kuryr-controller composition root.</summary>
public static class ControllerServiceCollectionExtensions
{
    /// <summary>Where the service-account namespace is mounted in a pod.</summary>
    internal const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>As <see cref="AddKuryrController(IServiceCollection, IConfiguration, Action{HandlerPipelineOptions}?)"/>, reading <paramref name="configPath"/> (and <c>KURYR_*</c> variables).</summary>
    public static IServiceCollection AddKuryrController(this IServiceCollection services, string configPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(configPath);
        // KURYR_WATCH_NAMESPACE (not a kuryr.conf option): restricts the handlers' informers to one
        // namespace, so end-to-end tests sharing one API server see only their own pods.
        var watchNamespace = Environment.GetEnvironmentVariable(WatchNamespaceVariable);
        return services.AddKuryrController(
            KuryrConfig.BuildConfiguration([configPath]),
            string.IsNullOrEmpty(watchNamespace) ? null : o => o.WatchNamespace = watchNamespace);
    }

    /// <summary>Environment variable restricting the handlers to one namespace (tests).</summary>
    public const string WatchNamespaceVariable = "KURYR_WATCH_NAMESPACE";

    /// <summary>
    /// Everything kuryr-controller runs: kuryr.conf (validated now: a bad file throws
    /// <see cref="KuryrConfigException"/> listing every problem), the Neutron and Kubernetes clients
    /// (the latter configured from the same <c>[kubernetes]</c> section), the event recorder, the
    /// pools (recovery, GC, events, prepopulation, management API when <c>enable_manager</c>), the CRD
    /// installer, leader election, the handlers, the pipeline, health and metrics servers and the
    /// <see cref="ControllerService"/>.
    /// </summary>
    public static IServiceCollection AddKuryrController(this IServiceCollection services, IConfiguration configuration, Action<HandlerPipelineOptions>? pipeline = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var config = KuryrConfig.FromConfiguration(configuration, logger: null, KuryrComponent.Controller);
        var kubernetes = config.Kubernetes;
        var pools = kubernetes.VifPoolDriver != KuryrDrivers.NoopPool;

        services.AddLogging();
        services.AddKuryrConfig(configuration, KuryrComponent.Controller);
        services.AddNeutronClient();

        // One source of truth: the API client reads kuryr.conf's validated [kubernetes] section.
        services.AddKuryrKubernetesClient();
        services.AddEventRecorder("kuryr-controller", sp => sp.GetRequiredService<IOptions<KubernetesOptions>>().Value.UseEvents);

        services.TryAddSingleton<IPoolReadiness>(sp => new ControllerPoolReadiness(pools, sp.GetService<IPoolRecovery>()));
        services.AddKuryrPools();
        services.AddKuryrPoolEvents();
        services.AddKuryrNamespacePrepopulation();
        if (pools)
        {
            services.AddKuryrPoolRecovery();
            services.AddKuryrPortGarbageCollection();
        }

        if (kubernetes.EnableManager)
        {
            services.TryAddSingleton(sp => ManagementGate.FromLeader(() => sp.GetRequiredService<ILeaderElector>().IsLeader));
            services.AddKuryrPoolManagement();
        }

        services.AddKuryrCrdInstaller();
        services.AddLeaderElection();
        services.AddOptions<LeaderElectionOptions>().Configure<IOptions<KubernetesOptions>>((o, k) => CopyLeaderOptions(k.Value, o));

        services.AddKuryrPodHandlers();
        services.AddKuryrMultiVifDrivers();
        services.AddKuryrNamespaceHandlers();
        services.AddKuryrHandlerPipeline(pipeline);

        services.AddKuryrControllerHealth();
        services.AddKuryrControllerMetrics();
        services.AddHostedService<ControllerService>();
        return services;
    }


    internal static void CopyLeaderOptions(KubernetesOptions k, LeaderElectionOptions o)
    {
        o.LeaseName = k.LeaderElectionLeaseName;
        o.LeaseNamespace = LeaseNamespace(k.LeaderElectionNamespace, Environment.GetEnvironmentVariable("POD_NAMESPACE"), ServiceAccountNamespaceFile);
        o.LeaseDuration = TimeSpan.FromSeconds(k.LeaderElectionLeaseDurationSeconds);
        o.RenewDeadline = TimeSpan.FromSeconds(k.LeaderElectionRenewDeadlineSeconds);
        o.RetryPeriod = TimeSpan.FromSeconds(k.LeaderElectionRetryPeriodSeconds);
        o.Identity = Identity(Environment.GetEnvironmentVariable("POD_NAME"), Environment.MachineName, Environment.ProcessId);
    }

    /// <summary>The Lease's namespace: configured, else POD_NAMESPACE, else the service account's, else kube-system.</summary>
    internal static string LeaseNamespace(string? configured, string? podNamespace, string serviceAccountFile)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (!string.IsNullOrWhiteSpace(podNamespace))
        {
            return podNamespace.Trim();
        }

        if (File.Exists(serviceAccountFile) && File.ReadAllText(serviceAccountFile).Trim() is { Length: > 0 } ns)
        {
            return ns;
        }

        return "kube-system";
    }

    /// <summary>holderIdentity: POD_NAME when set (unique per replica), else host name + pid.</summary>
    internal static string Identity(string? podName, string host, int pid) =>
        !string.IsNullOrWhiteSpace(podName) ? podName.Trim() : host + "_" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Pool readiness for the controller: follows recovery, always ready with the noop pool driver.</summary>
internal sealed class ControllerPoolReadiness(bool pools, IPoolRecovery? recovery) : IPoolReadiness
{
    private volatile bool _marked;

    public bool IsReady => !pools || (recovery is null ? _marked : recovery.IsRecovered);

    public void MarkRecovered() => _marked = true;
}
