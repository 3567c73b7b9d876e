using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Kuryr.Netlink.Rtnl.Model;

namespace Kuryr.Netlink.Rtnl.Protocol;

/// <summary>
/// Builds every RTM_* request this library sends. Attribute order follows iproute2 6.1 so requests
/// can be compared with what `ip` sends (see the VLAN byte-for-byte test).
/// </summary>
internal static class RtnlRequests
{
    private const ushort Create = Nlmsg.F_REQUEST | Nlmsg.F_ACK | Nlmsg.F_EXCL | Nlmsg.F_CREATE;
    private const ushort Change = Nlmsg.F_REQUEST | Nlmsg.F_ACK;
    private const uint RtextFilterSkipStats = 8;
    private static readonly System.Buffers.SearchValues<char> ForbiddenNameChars = System.Buffers.SearchValues.Create("/: \t\n\0");

    public static byte[] DumpLinks(uint seq)
        => new NetlinkWriter(Rtm.GETLINK, Nlmsg.F_REQUEST | Nlmsg.F_DUMP, seq).IfInfo().U32(Ifla.EXT_MASK, RtextFilterSkipStats).ToArray();

    public static byte[] GetLink(uint seq, string name)
        => new NetlinkWriter(Rtm.GETLINK, Nlmsg.F_REQUEST, seq).IfInfo().U32(Ifla.EXT_MASK, RtextFilterSkipStats).String(Ifla.IFNAME, ValidateLinkName(name, nameof(name))).ToArray();

    public static byte[] GetLink(uint seq, int index)
        => new NetlinkWriter(Rtm.GETLINK, Nlmsg.F_REQUEST, seq).IfInfo(index: ValidateIndex(index, nameof(index))).U32(Ifla.EXT_MASK, RtextFilterSkipStats).ToArray();

    /// <summary>
    /// ip link add NAME type veth peer name PEER [netns PEERNS]: the peer is created directly in the
    /// namespace given by <paramref name="peerNamespaceFd"/> (IFLA_NET_NS_FD inside VETH_INFO_PEER).
    /// </summary>
    public static byte[] CreateVeth(uint seq, string name, string peerName, int? peerNamespaceFd, LinkOptions? options = null, LinkOptions? peerOptions = null)
    {
        ValidateLinkName(name, nameof(name));
        ValidateLinkName(peerName, nameof(peerName));
        var w = new NetlinkWriter(Rtm.NEWLINK, Create, seq).IfInfo().String(Ifla.IFNAME, name);
        Common(w, options, nameof(options));
        int linkInfo = w.BeginNested(Ifla.LINKINFO);
        w.String(Ifla.INFO_KIND, "veth", nulTerminated: false);
        int data = w.BeginNested(Ifla.INFO_DATA);
        int peer = w.BeginNested(Ifla.VETH_INFO_PEER);
        w.IfInfo();
        if (peerNamespaceFd is int fd)
        {
            w.U32(Ifla.NET_NS_FD, (uint)fd);
        }

        w.String(Ifla.IFNAME, peerName);
        Common(w, peerOptions, nameof(peerOptions));
        w.EndNested(peer).EndNested(data).EndNested(linkInfo);
        return w.ToArray();
    }

    /// <summary>ip link add link PARENT name NAME [netns NS] type macvlan mode MODE.</summary>
    public static byte[] CreateMacvlan(uint seq, string name, int parentIndex, MacvlanMode mode, int? namespaceFd, LinkOptions? options = null)
    {
        ValidateLinkName(name, nameof(name));
        var w = new NetlinkWriter(Rtm.NEWLINK, Create, seq).IfInfo()
            .U32(Ifla.LINK, (uint)ValidateIndex(parentIndex, nameof(parentIndex)))
            .String(Ifla.IFNAME, name);
        if (namespaceFd is int fd)
        {
            w.U32(Ifla.NET_NS_FD, (uint)fd);
        }

        Common(w, options, nameof(options));
        int linkInfo = w.BeginNested(Ifla.LINKINFO);
        w.String(Ifla.INFO_KIND, "macvlan", nulTerminated: false);
        int data = w.BeginNested(Ifla.INFO_DATA);
        w.U32(Ifla.MACVLAN_MODE, (uint)mode);
        w.EndNested(data).EndNested(linkInfo);
        return w.ToArray();
    }

    /// <summary>ip link add name NAME type bridge (Kuryr's OVS hybrid plug puts the veth in a qbr bridge).</summary>
    public static byte[] CreateBridge(uint seq, string name, LinkOptions? options = null)
    {
        ValidateLinkName(name, nameof(name));
        var w = new NetlinkWriter(Rtm.NEWLINK, Create, seq).IfInfo().String(Ifla.IFNAME, name);
        Common(w, options, nameof(options));
        int linkInfo = w.BeginNested(Ifla.LINKINFO);
        w.String(Ifla.INFO_KIND, "bridge", nulTerminated: false);
        w.EndNested(linkInfo);
        return w.ToArray();
    }

    /// <summary>ip link set dev INDEX master MASTER | nomaster (master 0).</summary>
    public static byte[] SetMaster(uint seq, int index, int? masterIndex)
    {
        ValidateIndex(index, nameof(index));
        if (masterIndex is int m)
        {
            ValidateIndex(m, nameof(masterIndex));
        }

        return new NetlinkWriter(Rtm.NEWLINK, Change, seq).IfInfo(index: index).U32(Ifla.MASTER, (uint)(masterIndex ?? 0)).ToArray();
    }

    /// <summary>ip link add link PARENT name NAME type vlan id ID (same bytes as iproute2 6.1).</summary>
    public static byte[] CreateVlan(uint seq, string name, int parentIndex, int vlanId, int? namespaceFd = null, LinkOptions? options = null)
    {
        ValidateLinkName(name, nameof(name));
        if (vlanId is < 1 or > 4094)
        {
            throw new ArgumentOutOfRangeException(nameof(vlanId), vlanId, "VLAN id must be between 1 and 4094.");
        }

        var w = new NetlinkWriter(Rtm.NEWLINK, Create, seq).IfInfo()
            .U32(Ifla.LINK, (uint)ValidateIndex(parentIndex, nameof(parentIndex)))
            .String(Ifla.IFNAME, name);
        if (namespaceFd is int fd)
        {
            w.U32(Ifla.NET_NS_FD, (uint)fd);
        }

        Common(w, options, nameof(options));
        int linkInfo = w.BeginNested(Ifla.LINKINFO);
        w.String(Ifla.INFO_KIND, "vlan", nulTerminated: false);
        int data = w.BeginNested(Ifla.INFO_DATA);
        w.U16(Ifla.VLAN_ID, (ushort)vlanId);
        w.EndNested(data).EndNested(linkInfo);
        return w.ToArray();
    }

    /// <summary>ip link set dev INDEX [name N] [address M] [mtu X] [up|down] [netns FD] — one RTM_NEWLINK.</summary>
    public static byte[] SetLink(uint seq, int index, string? name = null, PhysicalAddress? mac = null, int? mtu = null, bool? up = null, int? namespaceFd = null)
    {
        ValidateIndex(index, nameof(index));
        uint flags = up == true ? Ifla.IFF_UP : 0;
        uint change = up is null ? 0 : Ifla.IFF_UP;
        var w = new NetlinkWriter(Rtm.NEWLINK, Change, seq).IfInfo(index: index, flags: flags, change: change);
        if (namespaceFd is int fd)
        {
            w.U32(Ifla.NET_NS_FD, (uint)fd);
        }

        if (name is not null)
        {
            w.String(Ifla.IFNAME, ValidateLinkName(name, nameof(name)));
        }

        Common(w, new LinkOptions(mtu, mac), nameof(mtu));
        return w.ToArray();
    }

    public static byte[] DeleteLink(uint seq, int index)
        => new NetlinkWriter(Rtm.DELLINK, Change, seq).IfInfo(index: ValidateIndex(index, nameof(index))).ToArray();

    public static byte[] DumpAddresses(uint seq, AddressFamily family)
        => new NetlinkWriter(Rtm.GETADDR, Nlmsg.F_REQUEST | Nlmsg.F_DUMP, seq).IfAddr(Family(family, nameof(family)), 0, 0, 0, 0).ToArray();

    /// <summary>ip addr add ADDRESS/PREFIX dev INDEX [nodad]: IFA_LOCAL and IFA_ADDRESS both set, as iproute2 does.</summary>
    public static byte[] AddAddress(uint seq, int index, IPAddress address, int prefixLength, bool noDad = false)
        => Address(Rtm.NEWADDR, Create, seq, index, address, prefixLength, noDad);

    public static byte[] DeleteAddress(uint seq, int index, IPAddress address, int prefixLength)
        => Address(Rtm.DELADDR, Change, seq, index, address, prefixLength, noDad: false);

    public static byte[] DumpRoutes(uint seq, AddressFamily family)
        => new NetlinkWriter(Rtm.GETROUTE, Nlmsg.F_REQUEST | Nlmsg.F_DUMP, seq).RtMsg(Family(family, nameof(family)), 0, 0, 0, 0, 0).ToArray();

    /// <summary>ip route add|replace SPEC.</summary>
    public static byte[] AddRoute(uint seq, RouteSpec route, bool replace = false)
        => Route(Rtm.NEWROUTE, replace ? (ushort)(Nlmsg.F_REQUEST | Nlmsg.F_ACK | Nlmsg.F_REPLACE | Nlmsg.F_CREATE) : Create, seq, route);

    public static byte[] DeleteRoute(uint seq, RouteSpec route)
        => Route(Rtm.DELROUTE, Change, seq, route);

    private static byte[] Address(ushort type, ushort flags, uint seq, int index, IPAddress address, int prefixLength, bool noDad)
    {
        ArgumentNullException.ThrowIfNull(address);
        ValidateIndex(index, nameof(index));
        byte family = Family(address.AddressFamily, nameof(address));
        int max = family == AddressFamilies.AF_INET ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"Prefix length of {address} must be between 0 and {max}.");
        }

        byte[] bytes = address.GetAddressBytes();
        var w = new NetlinkWriter(type, flags, seq).IfAddr(family, (byte)prefixLength, 0, 0, index)
            .Attribute(Ifa.LOCAL, bytes)
            .Attribute(Ifa.ADDRESS, bytes);
        if (noDad)
        {
            w.U32(Ifa.FLAGS, Ifa.F_NODAD);
        }

        return w.ToArray();
    }

    private static byte[] Route(ushort type, ushort flags, uint seq, RouteSpec route)
    {
        ArgumentNullException.ThrowIfNull(route);
        IPAddress? any = route.Destination ?? route.Gateway;
        if (any is null)
        {
            throw new ArgumentException("A route needs a destination or a gateway (RouteSpec.Destination / RouteSpec.Gateway).", nameof(route));
        }

        byte family = Family(any.AddressFamily, nameof(route));
        if (route.Gateway is not null && route.Gateway.AddressFamily != any.AddressFamily)
        {
            throw new ArgumentException($"Route gateway {route.Gateway} is not in the family of destination {route.Destination}.", nameof(route));
        }

        int max = family == AddressFamilies.AF_INET ? 32 : 128;
        if (route.PrefixLength < 0 || route.PrefixLength > max || (route.Destination is null && route.PrefixLength != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(route), route.PrefixLength, $"RouteSpec.PrefixLength must be 0-{max} (0 for the default route).");
        }

        if (route.Gateway is null && route.OutputInterfaceIndex is null)
        {
            throw new ArgumentException("An on-link route (no RouteSpec.Gateway) needs RouteSpec.OutputInterfaceIndex.", nameof(route));
        }

        byte scope = route.Gateway is null ? Rta.RT_SCOPE_LINK : Rta.RT_SCOPE_UNIVERSE;
        byte table = route.Table < 256 ? (byte)route.Table : (byte)252; // RT_TABLE_COMPAT + RTA_TABLE
        var w = new NetlinkWriter(type, flags, seq).RtMsg(family, (byte)route.PrefixLength, table, Rta.RTPROT_BOOT, scope, Rta.RTN_UNICAST);
        if (route.Table >= 256)
        {
            w.U32(Rta.TABLE, route.Table);
        }

        if (route.Destination is not null)
        {
            w.Attribute(Rta.DST, route.Destination.GetAddressBytes());
        }

        if (route.Gateway is not null)
        {
            w.Attribute(Rta.GATEWAY, route.Gateway.GetAddressBytes());
        }

        if (route.OutputInterfaceIndex is int oif)
        {
            w.U32(Rta.OIF, (uint)ValidateIndex(oif, nameof(route)));
        }

        if (route.Metric is uint metric)
        {
            w.U32(Rta.PRIORITY, metric);
        }

        return w.ToArray();
    }

    private static void Common(NetlinkWriter w, LinkOptions? options, string parameter)
    {
        if (options is null)
        {
            return;
        }

        if (options.MacAddress is not null)
        {
            byte[] mac = options.MacAddress.GetAddressBytes();
            if (mac.Length != 6)
            {
                throw new ArgumentException($"MAC address {options.MacAddress} has {mac.Length} bytes, expected 6.", parameter);
            }

            w.Attribute(Ifla.ADDRESS, mac);
        }

        if (options.Mtu is int mtu)
        {
            if (mtu is < 68 or > 65535)
            {
                throw new ArgumentOutOfRangeException(parameter, mtu, "MTU must be between 68 and 65535.");
            }

            w.U32(Ifla.MTU, (uint)mtu);
        }
    }

    internal static string ValidateLinkName(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes is 0 or >= Ifla.IFNAMSIZ || name is "." or ".." || name.AsSpan().IndexOfAny(ForbiddenNameChars) >= 0)
        {
            throw new ArgumentException($"Interface name '{name}' is invalid: it must be 1-{Ifla.IFNAMSIZ - 1} bytes without '/', ':', whitespace or NUL.", parameter);
        }

        return name;
    }

    private static int ValidateIndex(int index, string parameter)
        => index > 0 ? index : throw new ArgumentOutOfRangeException(parameter, index, "Interface index must be positive.");

    private static byte Family(AddressFamily family, string parameter) => family switch
    {
        AddressFamily.InterNetwork => AddressFamilies.AF_INET,
        AddressFamily.InterNetworkV6 => AddressFamilies.AF_INET6,
        AddressFamily.Unspecified => AddressFamilies.AF_UNSPEC,
        _ => throw new ArgumentException($"Address family {family} is not IPv4 or IPv6.", parameter),
    };
}
