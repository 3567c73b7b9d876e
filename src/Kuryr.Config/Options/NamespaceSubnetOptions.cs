using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[namespace_subnet]</c>: per-namespace networks (<c>pod_subnets_driver = namespace</c>).</summary>
[KuryrSection("namespace_subnet")]
public sealed class NamespaceSubnetOptions
{
    [ConfigurationKeyName("pod_router"), KuryrFormat(KuryrValueFormat.Uuid)]
    [Description("Neutron router ID namespace subnets are attached to.")]
    public string? PodRouter { get; set; }

    [ConfigurationKeyName("pod_subnet_pool"), KuryrFormat(KuryrValueFormat.Uuid)]
    [Description("Neutron subnet pool ID namespace subnets take their CIDR from.")]
    public string? PodSubnetPool { get; set; }
}
