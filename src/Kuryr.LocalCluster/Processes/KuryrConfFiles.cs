using System.Globalization;
using System.Text;

namespace Kuryr.LocalCluster.Processes;

/// <summary>Keystone credentials of the controller's Neutron client.</summary>
public sealed record KeystoneCredentials(string AuthUrl, string Username, string Password, string ProjectName,
    string UserDomainId, string ProjectDomainId, string Region);

/// <summary>What the controller's kuryr.conf needs.</summary>
public sealed record ControllerSettings
{
    public required string KubeConfig { get; init; }

    public required string Namespace { get; init; }

    public required KeystoneCredentials Keystone { get; init; }

    public required string ProjectId { get; init; }

    public required string PodSubnetId { get; init; }

    public required string SecurityGroupId { get; init; }

    public required string ClusterId { get; init; }

    public required string RedisEndpoint { get; init; }

    public required string RedisPrefix { get; init; }

    public required bool Pooled { get; init; }

    /// <summary>The nested node's pod VIF driver (<c>nested-vlan</c>/<c>nested-macvlan</c>), null: no nested node.</summary>
    public string? NestedDriver { get; init; }

    public string? WorkerSubnetId { get; init; }

    public required string ManagementSocket { get; init; }

    public required int HealthPort { get; init; }

    public required int MetricsPort { get; init; }

    public int PoolMin { get; init; } = 2;

    public int PoolBatch { get; init; } = 5;

    public int PoolMax { get; init; } = 20;
}

/// <summary>What one agent's kuryr.conf needs.</summary>
public sealed record AgentSettings
{
    public required string KubeConfig { get; init; }

    public required string PodVifDriver { get; init; }

    public required string VifPoolDriver { get; init; }

    public required string RedisEndpoint { get; init; }

    public required string RedisPrefix { get; init; }

    public required string SocketPath { get; init; }

    public required string StatePath { get; init; }

    public required string OvsdbConnection { get; init; }

    /// <summary><c>[vif_pool] vif_pool_mapping</c> (with <c>multi_pool</c>), null: none.</summary>
    public string? VifPoolMapping { get; init; }

    /// <summary><c>[binding] link_iface</c> (nested nodes), null: none.</summary>
    public string? LinkIface { get; init; }

    public required int HealthPort { get; init; }

    public required int MetricsPort { get; init; }
}

/// <summary>Writes the kuryr.conf files of the local cluster's controller and agents.</summary>
public static class KuryrConfFiles
{
    /// <summary>
    /// The pool driver per pod VIF driver (<c>vif_pool_mapping</c>); Kuryr cannot pool macvlan. Unpooled
    /// (<c>--pool-driver noop</c>) maps every driver to <c>noop</c>.
    /// </summary>
    public static string PoolMapping(string? nestedDriver, bool pooled = true) => (nestedDriver, pooled) switch
    {
        (null, true) => "neutron-vif:neutron",
        (null, false) => "neutron-vif:noop",
        ("nested-vlan", true) => "neutron-vif:neutron,nested-vlan:nested",
        ("nested-macvlan", true) => "neutron-vif:neutron,nested-macvlan:noop",
        ("nested-vlan" or "nested-macvlan", false) => $"neutron-vif:noop,{nestedDriver}:noop",
        _ => throw new ArgumentOutOfRangeException(nameof(nestedDriver), nestedDriver, "nested-vlan or nested-macvlan"),
    };

    /// <summary>
    /// <c>[kubernetes] vif_pool_driver</c>: <c>multi_pool</c> when pooled or when the nodes use two pod
    /// VIF drivers (only <c>multi_pool</c> follows the node's <c>pod_vif</c> label); plain <c>noop</c> otherwise.
    /// </summary>
    public static string VifPoolDriver(string? nestedDriver, bool pooled) => pooled || nestedDriver is not null ? "multi_pool" : "noop";

    public static string Controller(ControllerSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# kuryr-local-cluster: the controller").AppendLine("[kubernetes]")
          .AppendLine(c, $"kubeconfig = {s.KubeConfig}")
          .AppendLine("ssl_ca_crt_file =")
          .AppendLine("token_file =")
          .AppendLine("pod_vif_driver = neutron-vif")
          .AppendLine(c, $"vif_pool_driver = {VifPoolDriver(s.NestedDriver, s.Pooled)}")
          .AppendLine("multi_vif_drivers = noop")
          .AppendLine("enabled_handlers = vif,kuryrport")
          .AppendLine("wait_for_active_ports = false")
          .AppendLine("enable_manager = true")
          .AppendLine(c, $"leader_election_namespace = {s.Namespace}")
          .AppendLine("leader_election_lease_duration = 8")
          .AppendLine("leader_election_renew_deadline = 6")
          .AppendLine("leader_election_retry_period = 2")
          .AppendLine("[neutron]")
          .AppendLine("auth_type = password")
          .AppendLine(c, $"auth_url = {s.Keystone.AuthUrl}")
          .AppendLine(c, $"username = {s.Keystone.Username}")
          .AppendLine(c, $"password = {s.Keystone.Password}")
          .AppendLine(c, $"project_name = {s.Keystone.ProjectName}")
          .AppendLine(c, $"user_domain_id = {s.Keystone.UserDomainId}")
          .AppendLine(c, $"project_domain_id = {s.Keystone.ProjectDomainId}")
          .AppendLine(c, $"region_name = {s.Keystone.Region}")
          .AppendLine("[neutron_defaults]")
          .AppendLine(c, $"project = {s.ProjectId}")
          .AppendLine(c, $"pod_subnet = {s.PodSubnetId}")
          .AppendLine(c, $"pod_security_groups = {s.SecurityGroupId}")
          .AppendLine(c, $"cluster_id = {s.ClusterId}");
        if (s.WorkerSubnetId is not null)
        {
            sb.AppendLine("[pod_vif_nested]").AppendLine(c, $"worker_nodes_subnets = {s.WorkerSubnetId}");
        }

        sb.AppendLine("[vif_pool]")
          .AppendLine(c, $"ports_pool_min = {s.PoolMin}")
          .AppendLine(c, $"ports_pool_batch = {s.PoolBatch}")
          .AppendLine(c, $"ports_pool_max = {s.PoolMax}")
          .AppendLine("ports_pool_update_frequency = 2");
        if (VifPoolDriver(s.NestedDriver, s.Pooled) == "multi_pool")
        {
            sb.AppendLine(c, $"vif_pool_mapping = {PoolMapping(s.NestedDriver, s.Pooled)}");
        }

        sb.AppendLine("[pool_manager]")
          .AppendLine(c, $"sock_file = {s.ManagementSocket}")
          .AppendLine("[redis]")
          .AppendLine(c, $"endpoints = {s.RedisEndpoint}")
          .AppendLine(c, $"key_prefix = {s.RedisPrefix}")
          .AppendLine("[health_server]")
          .AppendLine(c, $"port = {s.HealthPort}")
          .AppendLine("[prometheus_exporter]")
          .AppendLine(c, $"controller_exporter_port = {s.MetricsPort}");
        return sb.ToString();
    }

    public static string Agent(AgentSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# kuryr-local-cluster: an agent").AppendLine("[kubernetes]")
          .AppendLine(c, $"kubeconfig = {s.KubeConfig}")
          .AppendLine("ssl_ca_crt_file =")
          .AppendLine("token_file =")
          .AppendLine(c, $"pod_vif_driver = {s.PodVifDriver}")
          .AppendLine(c, $"vif_pool_driver = {s.VifPoolDriver}")
          .AppendLine("[redis]")
          .AppendLine(c, $"endpoints = {s.RedisEndpoint}")
          .AppendLine(c, $"key_prefix = {s.RedisPrefix}")
          .AppendLine("[cni_daemon]")
          .AppendLine(c, $"socket_path = {s.SocketPath}")
          .AppendLine(c, $"state_path = {s.StatePath}")
          .AppendLine("vif_annotation_timeout = 60")
          .AppendLine(c, $"ovsdb_connection = {s.OvsdbConnection}");
        if (s.VifPoolMapping is not null)
        {
            sb.AppendLine("[vif_pool]").AppendLine(c, $"vif_pool_mapping = {s.VifPoolMapping}");
        }

        if (s.LinkIface is not null)
        {
            sb.AppendLine("[binding]").AppendLine(c, $"link_iface = {s.LinkIface}");
        }

        sb.AppendLine("[cni_health_server]")
          .AppendLine(c, $"port = {s.HealthPort}")
          .AppendLine("[prometheus_exporter]")
          .AppendLine(c, $"cni_exporter_port = {s.MetricsPort}");
        return sb.ToString();
    }
}
