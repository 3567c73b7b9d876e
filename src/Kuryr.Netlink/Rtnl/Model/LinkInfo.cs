using System.Net.NetworkInformation;

namespace Kuryr.Netlink.Rtnl.Model;

/// <summary>A network interface as RTM_NEWLINK describes it.</summary>
/// <param name="Index">ifindex (unique within its namespace only).</param>
/// <param name="Name">IFLA_IFNAME.</param>
/// <param name="Flags">ifi_flags (IFF_UP = 1, IFF_LOWER_UP = 0x10000, ...).</param>
/// <param name="Mtu">IFLA_MTU.</param>
/// <param name="MacAddress">IFLA_ADDRESS, null when the link has none.</param>
/// <param name="Kind">IFLA_INFO_KIND ("veth", "macvlan", "vlan", ...), null for physical/loopback.</param>
/// <param name="ParentIndex">IFLA_LINK: the veth peer or the macvlan/vlan parent, possibly in another namespace.</param>
/// <param name="MasterIndex">IFLA_MASTER: the bridge/bond it is enslaved to.</param>
/// <param name="OperationalState">IFLA_OPERSTATE (RFC 2863: 2 down, 6 up, 0 unknown).</param>
/// <param name="LinkNetnsId">IFLA_LINK_NETNSID: set when <paramref name="ParentIndex"/> lives in another namespace.</param>
public sealed record LinkInfo(
    int Index,
    string Name,
    uint Flags,
    int Mtu,
    PhysicalAddress? MacAddress,
    string? Kind,
    int? ParentIndex,
    int? MasterIndex,
    byte OperationalState,
    int? LinkNetnsId)
{
    /// <summary>IFF_UP is set (administratively up).</summary>
    public bool IsUp => (Flags & 0x1) != 0;

    /// <summary>IFLA_VLAN_ID of a <c>vlan</c> link (inside IFLA_INFO_DATA), null for other kinds.</summary>
    public int? VlanId { get; init; }
}
