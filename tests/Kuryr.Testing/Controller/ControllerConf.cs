using System.Globalization;
using System.Text;

namespace Kuryr.Testing.Controller;

/// <summary>
/// A kuryr.conf for a test controller: the test bed's API server (kubeconfig), Neutron (noauth,
/// trusted headers), Redis (own key prefix), a short leader Lease in the test's namespace, ports 0.
/// </summary>
public sealed record ControllerConf
{
    public required string KubeConfig { get; init; }

    public required string LeaseNamespace { get; init; }

    public required Uri NeutronEndpoint { get; init; }

    public string ProjectId { get; init; } = Guid.NewGuid().ToString();

    public string PodSubnet { get; init; } = Guid.NewGuid().ToString();

    public string SecurityGroup { get; init; } = Guid.NewGuid().ToString();

    public string RedisEndpoint { get; init; } = "127.0.0.1:16379";

    public string RedisPrefix { get; init; } = "test-ctl-" + Guid.NewGuid().ToString("N")[..12];

    public string VifPoolDriver { get; init; } = "noop";

    public string EnabledHandlers { get; init; } = "endpoints";

    public int LeaseSeconds { get; init; } = 4;

    public int RenewSeconds { get; init; } = 3;

    public double RetrySeconds { get; init; } = 1;

    public int HealthPort { get; init; }

    public int MetricsPort { get; init; }

    public int NeutronMaxRetries { get; init; }

    /// <summary>Given to the process as <c>KURYR_WATCH_NAMESPACE</c>: its handlers see only this namespace (null: all).</summary>
    public string? WatchNamespace { get; init; }

    /// <summary>Extra lines appended verbatim (own sections allowed; a repeated section's later assignment wins).</summary>
    public string Extra { get; init; } = "";

    public string ToIni()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("[kubernetes]")
          .AppendLine(c, $"kubeconfig = {KubeConfig}")
          .AppendLine("ssl_ca_crt_file =")
          .AppendLine("token_file =")
          .AppendLine(c, $"vif_pool_driver = {VifPoolDriver}")
          .AppendLine(c, $"enabled_handlers = {EnabledHandlers}")
          .AppendLine(c, $"leader_election_namespace = {LeaseNamespace}")
          .AppendLine(c, $"leader_election_lease_duration = {LeaseSeconds}")
          .AppendLine(c, $"leader_election_renew_deadline = {RenewSeconds}")
          .AppendLine(c, $"leader_election_retry_period = {RetrySeconds}")
          .AppendLine("[neutron]")
          .AppendLine("auth_type = noauth")
          .AppendLine(c, $"endpoint_override = {NeutronEndpoint}")
          .AppendLine(c, $"project_id = {ProjectId}")
          .AppendLine(c, $"max_retries = {NeutronMaxRetries}")
          .AppendLine("[neutron_defaults]")
          .AppendLine(c, $"project = {ProjectId}")
          .AppendLine(c, $"pod_subnet = {PodSubnet}")
          .AppendLine(c, $"pod_security_groups = {SecurityGroup}")
          .AppendLine("[redis]")
          .AppendLine(c, $"endpoints = {RedisEndpoint}")
          .AppendLine(c, $"key_prefix = {RedisPrefix}")
          .AppendLine("[health_server]")
          .AppendLine(c, $"port = {HealthPort}")
          .AppendLine("[prometheus_exporter]")
          .AppendLine(c, $"controller_exporter_port = {MetricsPort}")
          .AppendLine(Extra);
        return sb.ToString();
    }
}
