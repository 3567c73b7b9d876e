using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[health_server]</c>: the controller's <c>/ready</c> and <c>/alive</c> probes.</summary>
[KuryrSection("health_server")]
public sealed class HealthServerOptions
{
    [ConfigurationKeyName("port"), KuryrRange(0, Maximum = 65535)]
    [Description("Port of the controller health server (/ready, /alive); 0 picks a free port (tests).")]
    public int Port { get; set; } = 8082;

    [ConfigurationKeyName("max_memory_usage"), KuryrRange(1, AlsoAllowed = -1)]
    [Description("Memory use (MiB) above which the controller reports itself not alive; -1 disables the check.")]
    public int MaxMemoryUsage { get; set; } = -1;

    [ConfigurationKeyName("handler_stuck_timeout"), KuryrRange(1), KuryrNodeOption]
    [Description("Seconds one handler may spend on one event before /alive reports the controller stuck.")]
    public int HandlerStuckTimeoutSeconds { get; set; } = 600;
}
