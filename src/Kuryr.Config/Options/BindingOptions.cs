using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[binding]</c> (kuryr-lib): how nested VIFs are bound on the node.</summary>
[KuryrSection("binding")]
public sealed class BindingOptions
{
    public const string Veth = "kuryr.lib.binding.drivers.veth";
    public const string Vlan = "kuryr.lib.binding.drivers.vlan";
    public const string Macvlan = "kuryr.lib.binding.drivers.macvlan";
    public const string Ipvlan = "kuryr.lib.binding.drivers.ipvlan";
    public const string HwVeb = "kuryr.lib.binding.drivers.hw_veb";

    [ConfigurationKeyName("default_driver"), KuryrDeprecatedName("driver"), KuryrChoices(Veth, Vlan, Macvlan, Ipvlan, HwVeb)]
    [Description("Binding driver (the nested VLAN allocator needs kuryr.lib.binding.drivers.vlan).")]
    public string DefaultDriver { get; set; } = Veth;

    [ConfigurationKeyName("enabled_drivers"), KuryrChoices(Veth, Vlan, Macvlan, Ipvlan, HwVeb)]
    [Description("Binding drivers that may be used.")]
    public IList<string> EnabledDrivers { get; set; } = [Veth];

    [ConfigurationKeyName("link_iface"), KuryrFormat(KuryrValueFormat.InterfaceName, AllowEmpty = true)]
    [Description("VM interface nested VLAN/macvlan devices are created on (empty: the one holding the kubelet IP).")]
    public string LinkIface { get; set; } = string.Empty;

    [ConfigurationKeyName("veth_dst_prefix"), KuryrFormat(KuryrValueFormat.InterfaceNamePrefix)]
    [Description("Name prefix of the veth end inside the container.")]
    public string VethDstPrefix { get; set; } = "eth";
}
