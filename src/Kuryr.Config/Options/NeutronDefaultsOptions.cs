using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[neutron_defaults]</c>: default project, subnet and security groups of pod ports.</summary>
[KuryrSection("neutron_defaults")]
public sealed class NeutronDefaultsOptions
{
    [ConfigurationKeyName("project")]
    [Description("Default OpenStack project ID of pod ports (pod_project_driver = default).")]
    public string? Project { get; set; }

    [ConfigurationKeyName("pod_subnet"), KuryrFormat(KuryrValueFormat.Uuid)]
    [Description("Default Neutron subnet ID of pod ports (pod_subnets_driver = default).")]
    public string? PodSubnet { get; set; }

    [ConfigurationKeyName("pod_security_groups"), KuryrFormat(KuryrValueFormat.Uuid)]
    [Description("Default Neutron security group IDs of pod ports.")]
    public IList<string> PodSecurityGroups { get; set; } = [];

    [ConfigurationKeyName("ovs_bridge"), KuryrFormat(KuryrValueFormat.InterfaceName)]
    [Description("Open vSwitch integration bridge pods are plugged into (when the port names none).")]
    public string OvsBridge { get; set; } = "br-int";

    [ConfigurationKeyName("network_device_mtu"), KuryrRange(68, Maximum = 65535, AlsoAllowed = 0)]
    [Description("MTU of pod interfaces when lower than the network's; 0 uses the network MTU.")]
    public int NetworkDeviceMtu { get; set; }

    [ConfigurationKeyName("subnet_mapping"), KuryrFormat(KuryrValueFormat.Uuid)]
    [Description("Default subnet per NAD driverType, as driverType:SUBNET-ID pairs.")]
    public IDictionary<string, string> SubnetMapping { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    [ConfigurationKeyName("resource_tags"), KuryrFormat(KuryrValueFormat.NeutronTag)]
    [Description("Tags put on every Neutron resource Kuryr creates (identifies them for cleanup).")]
    public IList<string> ResourceTags { get; set; } = [];

    /// <summary>Kuryr.Node's cluster id: every port the controller creates is tagged
    /// <c>kuryr.node.cluster=&lt;cluster_id&gt;</c> (at most 41 characters so the tag fits Neutron's 60).</summary>
    [ConfigurationKeyName("cluster_id"), KuryrFormat(KuryrValueFormat.NeutronTag), KuryrNodeOption]
    [Description("Cluster id in the ownership tag kuryr.node.cluster=<cluster_id> put on every port Kuryr.Node creates.")]
    public string ClusterId { get; set; } = "kubernetes";
}
