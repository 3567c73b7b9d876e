using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[cni_health_server]</c>: the agent's <c>/ready</c> and <c>/alive</c> probes.</summary>
[KuryrSection("cni_health_server")]
public sealed class CniHealthServerOptions
{
    [ConfigurationKeyName("port"), KuryrRange(0, Maximum = 65535)]
    [Description("Port of the agent health server (/ready, /alive); 0 picks a free port (tests).")]
    public int Port { get; set; } = 8090;

    [ConfigurationKeyName("max_memory_usage"), KuryrRange(1, AlsoAllowed = -1)]
    [Description("Memory use (MiB) above which the agent reports itself not alive; -1 disables the check.")]
    public int MaxMemoryUsage { get; set; } = -1;

    [ConfigurationKeyName("cg_path"), KuryrFormat(KuryrValueFormat.AbsolutePath)]
    [Description("cgroup of the agent when not containerized (for the memory check).")]
    public string CgPath { get; set; } = "/sys/fs/cgroup/memory/system.slice/kuryr-cni.service";
}
