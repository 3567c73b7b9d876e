using System.Net.NetworkInformation;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl;
using Kuryr.Vifs;
using Kuryr.Vifs.Model;

namespace Kuryr.Agent.Binding.Drivers;

/// <summary>One VIF to plug, validated: names, MTU and MAC worked out once.</summary>
internal sealed record VifTarget(
    VifBase Vif,
    string PortId,
    string InterfaceName,
    string HostName,
    PhysicalAddress Mac,
    string MacText,
    int? Mtu,
    bool IsDefault,
    string PodUid)
{
    /// <summary>Validates the VIF; every problem names the field (<c>vifs[eth0].address</c>).</summary>
    public static VifTarget From(PodVif podVif, string defaultInterfaceName, int networkDeviceMtu, string podUid)
    {
        ArgumentNullException.ThrowIfNull(podVif);
        var vif = podVif.Vif ?? throw new VifBindingException($"vifs[{podVif.InterfaceName}] has no VIF object");
        string ifname = podVif.Default ? defaultInterfaceName : podVif.InterfaceName;
        string field = $"vifs[{podVif.InterfaceName}]";
        if (string.IsNullOrWhiteSpace(ifname) || ifname.Length > 15 || ifname.Contains('/', StringComparison.Ordinal) || ifname.Any(char.IsWhiteSpace))
        {
            throw new VifBindingException($"{field}: interface name '{ifname}' is not a valid Linux interface name (1-15 characters, no '/' or spaces)");
        }

        if (string.IsNullOrWhiteSpace(vif.Id))
        {
            throw new VifBindingException($"{field}.id (the Neutron port id) is missing");
        }

        if (string.IsNullOrWhiteSpace(vif.Address))
        {
            throw new VifBindingException($"{field}.address (the MAC) is missing");
        }

        PhysicalAddress mac;
        try
        {
            mac = PhysicalAddress.Parse(vif.Address.Replace(':', '-'));
        }
        catch (FormatException ex)
        {
            throw new VifBindingException($"{field}.address '{vif.Address}' is not a MAC address", ex);
        }

        if (mac.GetAddressBytes().Length != 6)
        {
            throw new VifBindingException($"{field}.address '{vif.Address}' is not a 6-byte MAC address");
        }

        if (vif.Network is null)
        {
            throw new VifBindingException($"{field}.network is missing");
        }

        string host = string.IsNullOrWhiteSpace(vif.VifName) ? VifNames.Tap(vif.Id) : vif.VifName;
        if (host.Length > 15)
        {
            throw new VifBindingException($"{field}.vif_name '{host}' is longer than 15 characters");
        }

        return new VifTarget(vif, vif.Id, ifname, host, mac, vif.Address.ToLowerInvariant(), EffectiveMtu(vif.Network.Mtu, networkDeviceMtu), podVif.Default, podUid);
    }

    /// <summary>network.mtu, lowered to <c>[neutron_defaults] network_device_mtu</c> when that is set and smaller.</summary>
    public static int? EffectiveMtu(int? networkMtu, int networkDeviceMtu)
    {
        int? mtu = networkMtu is > 0 ? networkMtu : null;
        if (networkDeviceMtu > 0 && (mtu is null || networkDeviceMtu < mtu))
        {
            mtu = networkDeviceMtu;
        }

        return mtu;
    }
}

/// <summary>The pod's namespace and the two netlink clients a plug needs.</summary>
internal sealed class BindingSession(IRtNetlink host, IRtNetlink? pod, NetworkNamespace? podNamespace, string? netnsPath) : IDisposable
{
    public IRtNetlink Host { get; } = host;

    /// <summary>Null when the pod namespace no longer exists (unplug after the netns was deleted).</summary>
    public IRtNetlink? Pod { get; } = pod;

    public NetworkNamespace? PodNamespace { get; } = podNamespace;

    public string? NetnsPath { get; } = netnsPath;

    public void Dispose()
    {
        Pod?.Dispose();
        PodNamespace?.Dispose();
        Host.Dispose();
    }
}
