using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[kubernetes]</c>: API access, driver selection and handlers (Kuryr's names and defaults).</summary>
[KuryrSection("kubernetes")]
public sealed class KubernetesOptions
{
    [ConfigurationKeyName("api_root"), KuryrFormat(KuryrValueFormat.HttpUrl)]
    [Description("The root URL of the Kubernetes API.")]
    public string ApiRoot { get; set; } = "https://localhost:6443";

    [ConfigurationKeyName("ssl_client_crt_file"), KuryrFormat(KuryrValueFormat.AbsolutePath)]
    [Description("Absolute path to the client certificate used to connect to the Kubernetes API.")]
    public string? SslClientCrtFile { get; set; }

    [ConfigurationKeyName("ssl_client_key_file"), KuryrFormat(KuryrValueFormat.AbsolutePath)]
    [Description("Absolute path to the client key used to connect to the Kubernetes API.")]
    public string? SslClientKeyFile { get; set; }

    [ConfigurationKeyName("ssl_ca_crt_file"), KuryrFormat(KuryrValueFormat.AbsolutePath, AllowEmpty = true)]
    [Description("Absolute path to the CA certificate of the Kubernetes API.")]
    public string? SslCaCrtFile { get; set; } = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

    [ConfigurationKeyName("ssl_verify_server_crt")]
    [Description("Verify the Kubernetes API server certificate.")]
    public bool SslVerifyServerCrt { get; set; }

    [ConfigurationKeyName("token_file"), KuryrFormat(KuryrValueFormat.AbsolutePath, AllowEmpty = true)]
    [Description("File holding the bearer token for the Kubernetes API (empty: no token).")]
    public string? TokenFile { get; set; } = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    [ConfigurationKeyName("pod_vif_driver"), KuryrChoices(KuryrDrivers.NeutronVif, KuryrDrivers.NestedVlan, KuryrDrivers.NestedMacvlan, KuryrDrivers.NestedDpdk)]
    [Description("The driver that provides VIFs for pods (default for nodes without a pod_vif label).")]
    public string PodVifDriver { get; set; } = KuryrDrivers.NeutronVif;

    [ConfigurationKeyName("vif_pool_driver"), KuryrChoices(KuryrDrivers.NoopPool, KuryrDrivers.NeutronPool, KuryrDrivers.NestedPool, KuryrDrivers.MultiPool)]
    [Description("The driver that manages pools of ports for pods.")]
    public string VifPoolDriver { get; set; } = KuryrDrivers.NoopPool;

    [ConfigurationKeyName("multi_vif_drivers"), KuryrChoices("noop", "npwg_multiple_interfaces", "additional_subnets", "spec_ports")]
    [Description("The drivers that provide additional VIFs for pods.")]
    public IList<string> MultiVifDrivers { get; set; } = ["noop"];

    [ConfigurationKeyName("additional_ifname_prefix"), KuryrFormat(KuryrValueFormat.InterfaceNamePrefix)]
    [Description("Name prefix of the additional interfaces created by the multi-VIF drivers.")]
    public string AdditionalIfnamePrefix { get; set; } = "eth";

    [ConfigurationKeyName("port_debug")]
    [Description("Name ports after their pods (costs one extra port update per pod).")]
    public bool PortDebug { get; set; }

    [ConfigurationKeyName("enable_manager")]
    [Description("Serve the pool manager API on [pool_manager] sock_file.")]
    public bool EnableManager { get; set; }

    [ConfigurationKeyName("pod_subnets_driver"), KuryrChoices("default", "namespace")]
    [Description("The driver that chooses the Neutron subnet of pod ports.")]
    public string PodSubnetsDriver { get; set; } = "default";

    [ConfigurationKeyName("pod_security_groups_driver"), KuryrChoices("default", "policy")]
    [Description("The driver that chooses the security groups of pod ports.")]
    public string PodSecurityGroupsDriver { get; set; } = "default";

    [ConfigurationKeyName("pod_project_driver"), KuryrChoices("default", "annotation")]
    [Description("The driver that chooses the OpenStack project of pod ports.")]
    public string PodProjectDriver { get; set; } = "default";

    [ConfigurationKeyName("nodes_subnets_driver"), KuryrChoices("config", "openshift")]
    [Description("The driver that lists the subnets of the Kubernetes nodes.")]
    public string NodesSubnetsDriver { get; set; } = "config";

    [ConfigurationKeyName("enabled_handlers"), KuryrChoices("vif", "kuryrport", "namespace", "kuryrnetwork", "kuryrnetwork_population", "pod_label", "policy", "kuryrnetworkpolicy", "service", "endpoints", "kuryrloadbalancer", "openshift_machine")]
    [Description("The handlers registered in the controller pipeline.")]
    public IList<string> EnabledHandlers { get; set; } = ["vif", "endpoints", "service", "kuryrloadbalancer", "kuryrport"];

    [ConfigurationKeyName("controller_ha")]
    [Description("Active/passive controller HA: only the elected leader runs the handlers.")]
    public bool ControllerHa { get; set; }

    [ConfigurationKeyName("controller_ha_elector_port"), KuryrRange(0, Maximum = 65535)]
    [Description("Port of Kuryr's leader-elector sidecar (accepted for compatibility).")]
    public int ControllerHaElectorPort { get; set; } = 16401;

    [ConfigurationKeyName("watch_retry_timeout"), KuryrRange(1)]
    [Description("Time (in seconds) the watcher keeps retrying a broken watch.")]
    public int WatchRetryTimeoutSeconds { get; set; } = 60;

    [ConfigurationKeyName("watch_connection_timeout"), KuryrRange(1)]
    [Description("TCP connection timeout (in seconds) of watch connections to the Kubernetes API.")]
    public int WatchConnectionTimeoutSeconds { get; set; } = 30;

    [ConfigurationKeyName("watch_read_timeout"), KuryrRange(1)]
    [Description("Read timeout (in seconds) of watch connections; a silent stream is reopened after it.")]
    public int WatchReadTimeoutSeconds { get; set; } = 60;

    [ConfigurationKeyName("watch_reconcile_period"), KuryrRange(0)]
    [Description("Period (in seconds) of the full re-list of watched resources; 0 disables it.")]
    public int WatchReconcilePeriodSeconds { get; set; } = 120;

    [ConfigurationKeyName("use_events")]
    [Description("Write Kubernetes Events about pods and ports.")]
    public bool UseEvents { get; set; } = true;

    // Kuryr.Node's own API-client options, read by Kuryr.Kubernetes (KubernetesClientOptions binds
    // the same keys; keep the defaults equal).
    [ConfigurationKeyName("kubeconfig"), KuryrNodeOption]
    [Description("A kubeconfig file; when set it wins over api_root and the ssl_*/token_file options.")]
    public string? KubeConfig { get; set; }

    [ConfigurationKeyName("kubeconfig_context"), KuryrNodeOption]
    [Description("The kubeconfig context to use; empty uses its current-context.")]
    public string? KubeConfigContext { get; set; }

    [ConfigurationKeyName("qps"), KuryrRange(0), KuryrNodeOption]
    [Description("Client-side rate limit on Kubernetes API requests per second (token bucket); 0 disables it.")]
    public double Qps { get; set; } = 20;

    [ConfigurationKeyName("burst"), KuryrRange(1), KuryrNodeOption]
    [Description("Token-bucket burst of the Kubernetes API rate limit.")]
    public int Burst { get; set; } = 30;

    [ConfigurationKeyName("request_timeout"), KuryrRange(0, MinimumExclusive = true), KuryrNodeOption]
    [Description("Timeout (in seconds) of one Kubernetes API request (watches excluded).")]
    public double RequestTimeoutSeconds { get; set; } = 30;

    [ConfigurationKeyName("finalizer_max_attempts"), KuryrRange(1), KuryrNodeOption]
    [Description("Attempts to add or remove a finalizer that meets 409 Conflict (Kuryr: 3).")]
    public int FinalizerMaxAttempts { get; set; } = 5;

    [ConfigurationKeyName("wait_for_active_ports"), KuryrNodeOption]
    [Description("Bare-metal (neutron-vif) VIFs are marked active only once Neutron reports their port ACTIVE; false marks them active at once (a Neutron without L2 agents never reports ACTIVE). Nested VIFs are always active at once.")]
    public bool WaitForActivePorts { get; set; } = true;

    [ConfigurationKeyName("handler_workers"), KuryrRange(1), KuryrNodeOption]
    [Description("Concurrent workers per controller handler (events of one object are always handled in order). Workers are cheap async loops; keep enough that pods whose VIF needs Neutron calls (per-pod ports, macvlan, an empty pool) cannot hold every worker while pods served from a warm pool wait behind them. Neutron load is bounded by the Neutron client's own limits, not by this.")]
    public int HandlerWorkers { get; set; } = 32;

    [ConfigurationKeyName("leader_election_namespace"), KuryrFormat(KuryrValueFormat.Token, AllowEmpty = true), KuryrNodeOption]
    [Description("Namespace of the controller's leader-election Lease; empty: the POD_NAMESPACE variable, else the service account's namespace, else kube-system.")]
    public string? LeaderElectionNamespace { get; set; }

    [ConfigurationKeyName("leader_election_lease_name"), KuryrFormat(KuryrValueFormat.Token), KuryrNodeOption]
    [Description("Name of the controller's leader-election Lease.")]
    public string LeaderElectionLeaseName { get; set; } = "kuryr-controller";

    [ConfigurationKeyName("leader_election_lease_duration"), KuryrRange(2), KuryrNodeOption]
    [Description("Seconds a standby waits after the leader's last renewal before taking over (client-go: 15).")]
    public int LeaderElectionLeaseDurationSeconds { get; set; } = 15;

    [ConfigurationKeyName("leader_election_renew_deadline"), KuryrRange(1), KuryrNodeOption]
    [Description("Seconds the leader keeps trying to renew before it steps down; less than the lease duration (client-go: 10).")]
    public int LeaderElectionRenewDeadlineSeconds { get; set; } = 10;

    [ConfigurationKeyName("leader_election_retry_period"), KuryrRange(0, MinimumExclusive = true), KuryrNodeOption]
    [Description("Seconds between leader-election attempts; the renew deadline must exceed 1.2 times it (client-go: 2).")]
    public double LeaderElectionRetryPeriodSeconds { get; set; } = 2;

    /// <summary><see cref="WatchRetryTimeoutSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan WatchRetryTimeout => TimeSpan.FromSeconds(WatchRetryTimeoutSeconds);

    /// <summary><see cref="WatchConnectionTimeoutSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan WatchConnectionTimeout => TimeSpan.FromSeconds(WatchConnectionTimeoutSeconds);

    /// <summary><see cref="WatchReadTimeoutSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan WatchReadTimeout => TimeSpan.FromSeconds(WatchReadTimeoutSeconds);

    /// <summary><see cref="WatchReconcilePeriodSeconds"/> as a <see cref="TimeSpan"/> (zero: disabled).</summary>
    public TimeSpan WatchReconcilePeriod => TimeSpan.FromSeconds(WatchReconcilePeriodSeconds);
}
