using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[prometheus_exporter]</c>: metrics ports.</summary>
[KuryrSection("prometheus_exporter")]
public sealed class PrometheusExporterOptions
{
    [ConfigurationKeyName("controller_exporter_port"), KuryrRange(0, Maximum = 65535)]
    [Description("Port of the controller's Prometheus exporter; 0 picks a free port (tests).")]
    public int ControllerExporterPort { get; set; } = 9654;

    [ConfigurationKeyName("cni_exporter_port"), KuryrRange(0, Maximum = 65535)]
    [Description("Port of the agent's Prometheus exporter; 0 picks a free port (tests).")]
    public int CniExporterPort { get; set; } = 9655;
}
