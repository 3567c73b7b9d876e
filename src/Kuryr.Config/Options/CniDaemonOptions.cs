using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[cni_daemon]</c>: the node agent (Kuryr's <c>kuryr-daemon</c>).</summary>
[KuryrSection("cni_daemon")]
public sealed class CniDaemonOptions
{
    [ConfigurationKeyName("bind_address"), KuryrFormat(KuryrValueFormat.HostPort)]
    [Description("Kuryr's TCP address of the CNI daemon (kept for compatibility; Kuryr.Node listens on socket_path).")]
    public string BindAddress { get; set; } = "127.0.0.1:5036";

    [ConfigurationKeyName("socket_path"), KuryrFormat(KuryrValueFormat.AbsolutePath), KuryrNodeOption]
    [Description("Unix socket the agent serves the CNI API on (mode 0660, root).")]
    public string SocketPath { get; set; } = "/run/kuryr/kuryr-agent.sock";

    [ConfigurationKeyName("state_path"), KuryrFormat(KuryrValueFormat.AbsolutePath), KuryrNodeOption]
    [Description("Directory where the agent records what it plugged per container, so DEL and GC work after a restart and without the KuryrPort.")]
    public string StatePath { get; set; } = "/var/lib/kuryr/agent";

    [ConfigurationKeyName("ovsdb_connection"), KuryrNodeOption]
    [Description("The OVSDB server the OVS binding drivers talk to (unix:PATH or tcp:HOST:PORT; os-vif's [os_vif_ovs] ovsdb_connection).")]
    public string OvsdbConnection { get; set; } = "unix:/run/openvswitch/db.sock";

    [ConfigurationKeyName("worker_num"), KuryrRange(1)]
    [Description("Maximum number of CNI requests handled at once (Kuryr: forked worker processes).")]
    public int WorkerNum { get; set; } = 30;

    [ConfigurationKeyName("vif_annotation_timeout"), KuryrRange(1)]
    [Description("Time (in seconds) a CNI ADD waits for the pod's VIF, and then for it to become active.")]
    public int VifAnnotationTimeoutSeconds { get; set; } = 60;

    [ConfigurationKeyName("pyroute2_timeout"), KuryrRange(1)]
    [Description("Timeout (in seconds) of one netlink operation.")]
    public int Pyroute2TimeoutSeconds { get; set; } = 10;

    [ConfigurationKeyName("docker_mode")]
    [Description("The agent runs in a container: network namespaces are found under netns_proc_dir instead of /proc.")]
    public bool DockerMode { get; set; }

    [ConfigurationKeyName("netns_proc_dir"), KuryrFormat(KuryrValueFormat.AbsolutePath)]
    [Description("Where the host's /proc is mounted (required with docker_mode).")]
    public string? NetnsProcDir { get; set; }

    [ConfigurationKeyName("cni_failures_count"), KuryrRange(1)]
    [Description("Consecutive failed CNI requests after which the agent reports itself unhealthy.")]
    public int CniFailuresCount { get; set; } = 3;

    /// <summary><see cref="VifAnnotationTimeoutSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan VifAnnotationTimeout => TimeSpan.FromSeconds(VifAnnotationTimeoutSeconds);

    /// <summary><see cref="Pyroute2TimeoutSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Pyroute2Timeout => TimeSpan.FromSeconds(Pyroute2TimeoutSeconds);
}
