using System.Globalization;
using System.Text;

namespace Kuryr.Testing.Agent;

/// <summary>
/// A kuryr.conf for a test agent: the test bed's API server (kubeconfig), Redis (own key prefix), a
/// socket and state directory of its own under /tmp, ports 0.
/// </summary>
public sealed record AgentConf
{
    public required string KubeConfig { get; init; }

    public string RedisEndpoint { get; init; } = "127.0.0.1:16379";

    public string RedisPrefix { get; init; } = "test-agent-" + Guid.NewGuid().ToString("N")[..12];

    public string Directory { get; init; } = Path.Combine(Path.GetTempPath(), "kuryr-agent-" + Guid.NewGuid().ToString("N")[..10]);

    public string SocketPath => Path.Combine(Directory, "run", "kuryr-agent.sock");

    public string StatePath => Path.Combine(Directory, "state");

    public string PodVifDriver { get; init; } = "neutron-vif";

    public string VifPoolDriver { get; init; } = "neutron";

    public int VifAnnotationTimeoutSeconds { get; init; } = 5;

    /// <summary><c>[cni_daemon] ovsdb_connection</c>; null: the default.</summary>
    public string? OvsdbConnection { get; init; }

    public int HealthPort { get; init; }

    public int MetricsPort { get; init; }

    /// <summary>Extra lines appended verbatim.</summary>
    public string Extra { get; init; } = "";

    public string ToIni()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("[kubernetes]")
          .AppendLine(c, $"kubeconfig = {KubeConfig}")
          .AppendLine("ssl_ca_crt_file =")
          .AppendLine("token_file =")
          .AppendLine(c, $"pod_vif_driver = {PodVifDriver}")
          .AppendLine(c, $"vif_pool_driver = {VifPoolDriver}")
          .AppendLine("[redis]")
          .AppendLine(c, $"endpoints = {RedisEndpoint}")
          .AppendLine(c, $"key_prefix = {RedisPrefix}")
          .AppendLine("connect_timeout = 2")
          .AppendLine("[cni_daemon]")
          .AppendLine(c, $"socket_path = {SocketPath}")
          .AppendLine(c, $"state_path = {StatePath}")
          .AppendLine(c, $"vif_annotation_timeout = {VifAnnotationTimeoutSeconds}")
          .AppendLine(OvsdbConnection is null ? "" : $"ovsdb_connection = {OvsdbConnection}")
          .AppendLine("[cni_health_server]")
          .AppendLine(c, $"port = {HealthPort}")
          .AppendLine("[prometheus_exporter]")
          .AppendLine(c, $"cni_exporter_port = {MetricsPort}")
          .AppendLine(Extra);
        return sb.ToString();
    }
}
