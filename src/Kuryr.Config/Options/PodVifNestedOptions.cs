using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[pod_vif_nested]</c>: nested (pods-in-VMs) mode.</summary>
[KuryrSection("pod_vif_nested")]
public sealed class PodVifNestedOptions
{
    [ConfigurationKeyName("worker_nodes_subnets"), KuryrDeprecatedName("worker_nodes_subnet"), KuryrFormat(KuryrValueFormat.Uuid)]
    [Description("Neutron subnet IDs of the worker node VMs (used to find each node's trunk parent port).")]
    public IList<string> WorkerNodesSubnets { get; set; } = [];

    [ConfigurationKeyName("rev_update_attempts"), KuryrRange(1)]
    [Description("Attempts to update a Neutron resource whose revision another writer changed.")]
    public int RevUpdateAttempts { get; set; } = 3;
}
