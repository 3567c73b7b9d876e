namespace Kuryr.Netlink.Rtnl.Protocol;

// Values from linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h (uapi, stable ABI).
#pragma warning disable CA1707 // Kernel names kept so the layout can be checked against the headers.

internal static class Nlmsg
{
    public const int HeaderLength = 16;
    public const ushort NOOP = 1;
    public const ushort ERROR = 2;
    public const ushort DONE = 3;
    public const ushort OVERRUN = 4;

    public const ushort F_REQUEST = 0x1;
    public const ushort F_MULTI = 0x2;
    public const ushort F_ACK = 0x4;
    public const ushort F_DUMP_INTR = 0x10;
    public const ushort F_ROOT = 0x100;
    public const ushort F_MATCH = 0x200;
    public const ushort F_DUMP = F_ROOT | F_MATCH;
    public const ushort F_REPLACE = 0x100;
    public const ushort F_EXCL = 0x200;
    public const ushort F_CREATE = 0x400;
    /// <summary>On an NLMSG_ERROR: extended-ack TLVs follow.</summary>
    public const ushort F_ACK_TLVS = 0x200;
    /// <summary>On an NLMSG_ERROR: the request payload was not echoed (NETLINK_CAP_ACK).</summary>
    public const ushort F_CAPPED = 0x100;

    public const ushort NLMSGERR_ATTR_MSG = 1;

    public static int Align(int length) => (length + 3) & ~3;
}

internal static class Rtm
{
    public const ushort NEWLINK = 16;
    public const ushort DELLINK = 17;
    public const ushort GETLINK = 18;
    public const ushort SETLINK = 19;
    public const ushort NEWADDR = 20;
    public const ushort DELADDR = 21;
    public const ushort GETADDR = 22;
    public const ushort NEWROUTE = 24;
    public const ushort DELROUTE = 25;
    public const ushort GETROUTE = 26;
}

internal static class Ifla
{
    public const ushort ADDRESS = 1;
    public const ushort BROADCAST = 2;
    public const ushort IFNAME = 3;
    public const ushort MTU = 4;
    public const ushort LINK = 5;
    public const ushort MASTER = 10;
    public const ushort OPERSTATE = 16;
    public const ushort LINKINFO = 18;
    public const ushort NET_NS_PID = 19;
    public const ushort NET_NS_FD = 28;
    public const ushort EXT_MASK = 29;
    public const ushort LINK_NETNSID = 37;

    public const ushort INFO_KIND = 1;
    public const ushort INFO_DATA = 2;

    public const ushort VETH_INFO_PEER = 1;
    public const ushort MACVLAN_MODE = 1;
    public const ushort VLAN_ID = 1;

    public const int IfInfoLength = 16;
    public const uint IFF_UP = 0x1;
    public const int IFNAMSIZ = 16;
}

internal static class Ifa
{
    public const ushort ADDRESS = 1;
    public const ushort LOCAL = 2;
    public const ushort LABEL = 3;
    public const ushort BROADCAST = 4;
    public const ushort FLAGS = 8;

    public const int IfAddrLength = 8;
    public const uint F_NODAD = 0x02;
}

internal static class Rta
{
    public const ushort DST = 1;
    public const ushort SRC = 2;
    public const ushort OIF = 4;
    public const ushort GATEWAY = 5;
    public const ushort PRIORITY = 6;
    public const ushort PREFSRC = 7;
    public const ushort TABLE = 15;

    public const int RtMsgLength = 12;
    public const byte RT_TABLE_MAIN = 254;
    public const byte RTPROT_BOOT = 3;
    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RT_SCOPE_LINK = 253;
    public const byte RTN_UNICAST = 1;
}

internal static class AddressFamilies
{
    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;
}
#pragma warning restore CA1707
