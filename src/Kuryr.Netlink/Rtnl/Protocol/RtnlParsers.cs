using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Kuryr.Netlink.Rtnl.Model;

namespace Kuryr.Netlink.Rtnl.Protocol;

/// <summary>
/// Turns RTM_NEWLINK / RTM_NEWADDR / RTM_NEWROUTE payloads into records. Anything malformed raises
/// <see cref="NetlinkFormatException"/> and nothing else (an FsCheck property holds it to that).
/// Unknown attributes are skipped.
/// </summary>
internal static class RtnlParsers
{
    public static LinkInfo ParseLink(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Ifla.IfInfoLength)
        {
            throw new NetlinkFormatException($"RTM_NEWLINK payload has {payload.Length} bytes, fewer than ifinfomsg ({Ifla.IfInfoLength}).");
        }

        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        string? name = null;
        int mtu = 0;
        PhysicalAddress? mac = null;
        string? kind = null;
        int? parent = null, master = null, netnsId = null, vlanId = null;
        byte operState = 0;
        var attributes = new AttributeReader(payload[Ifla.IfInfoLength..]);
        while (attributes.TryRead(out ushort type, out ReadOnlySpan<byte> value))
        {
            switch (type)
            {
                case Ifla.IFNAME:
                    name = AttributeValue.String(value);
                    break;
                case Ifla.MTU:
                    mtu = (int)AttributeValue.U32(value, "IFLA_MTU");
                    break;
                case Ifla.ADDRESS:
                    mac = new PhysicalAddress(value.ToArray());
                    break;
                case Ifla.LINK:
                    parent = (int)AttributeValue.U32(value, "IFLA_LINK");
                    break;
                case Ifla.MASTER:
                    master = (int)AttributeValue.U32(value, "IFLA_MASTER");
                    break;
                case Ifla.OPERSTATE:
                    operState = AttributeValue.U8(value, "IFLA_OPERSTATE");
                    break;
                case Ifla.LINK_NETNSID:
                    netnsId = (int)AttributeValue.U32(value, "IFLA_LINK_NETNSID");
                    break;
                case Ifla.LINKINFO:
                    var info = new AttributeReader(value);
                    while (info.TryRead(out ushort infoType, out ReadOnlySpan<byte> infoValue))
                    {
                        if (infoType == Ifla.INFO_KIND)
                        {
                            kind = AttributeValue.String(infoValue);
                        }
                        else if (infoType == Ifla.INFO_DATA && kind == "vlan")
                        {
                            var data = new AttributeReader(infoValue);
                            while (data.TryRead(out ushort dataType, out ReadOnlySpan<byte> dataValue))
                            {
                                if (dataType == Ifla.VLAN_ID)
                                {
                                    vlanId = AttributeValue.U16(dataValue, "IFLA_VLAN_ID");
                                }
                            }
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        return new LinkInfo(index, name ?? throw new NetlinkFormatException($"RTM_NEWLINK for index {index} has no IFLA_IFNAME."), flags, mtu, mac, kind, parent, master, operState, netnsId) { VlanId = vlanId };
    }

    public static AddressInfo ParseAddress(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Ifa.IfAddrLength)
        {
            throw new NetlinkFormatException($"RTM_NEWADDR payload has {payload.Length} bytes, fewer than ifaddrmsg ({Ifa.IfAddrLength}).");
        }

        byte prefix = payload[1];
        uint flags = payload[2];
        byte scope = payload[3];
        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        IPAddress? local = null, address = null;
        string? label = null;
        var attributes = new AttributeReader(payload[Ifa.IfAddrLength..]);
        while (attributes.TryRead(out ushort type, out ReadOnlySpan<byte> value))
        {
            switch (type)
            {
                case Ifa.LOCAL:
                    local = AttributeValue.Address(value, "IFA_LOCAL");
                    break;
                case Ifa.ADDRESS:
                    address = AttributeValue.Address(value, "IFA_ADDRESS");
                    break;
                case Ifa.LABEL:
                    label = AttributeValue.String(value);
                    break;
                case Ifa.FLAGS:
                    flags = AttributeValue.U32(value, "IFA_FLAGS");
                    break;
                default:
                    break;
            }
        }

        // IPv4 point-to-point links carry the peer in IFA_ADDRESS; the interface's own address is IFA_LOCAL.
        IPAddress own = local ?? address ?? throw new NetlinkFormatException($"RTM_NEWADDR for index {index} has neither IFA_LOCAL nor IFA_ADDRESS.");
        return new AddressInfo(index, own, prefix, scope, flags, label);
    }

    public static RouteInfo ParseRoute(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Rta.RtMsgLength)
        {
            throw new NetlinkFormatException($"RTM_NEWROUTE payload has {payload.Length} bytes, fewer than rtmsg ({Rta.RtMsgLength}).");
        }

        AddressFamily family = payload[0] switch
        {
            AddressFamilies.AF_INET => AddressFamily.InterNetwork,
            AddressFamilies.AF_INET6 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unknown,
        };
        byte prefix = payload[1];
        uint table = payload[4];
        byte protocol = payload[5], scope = payload[6], kind = payload[7];
        IPAddress? destination = null, gateway = null, source = null;
        int? oif = null;
        uint? priority = null;
        var attributes = new AttributeReader(payload[Rta.RtMsgLength..]);
        while (attributes.TryRead(out ushort type, out ReadOnlySpan<byte> value))
        {
            switch (type)
            {
                case Rta.DST:
                    destination = AttributeValue.Address(value, "RTA_DST");
                    break;
                case Rta.GATEWAY:
                    gateway = AttributeValue.Address(value, "RTA_GATEWAY");
                    break;
                case Rta.PREFSRC:
                    source = AttributeValue.Address(value, "RTA_PREFSRC");
                    break;
                case Rta.OIF:
                    oif = (int)AttributeValue.U32(value, "RTA_OIF");
                    break;
                case Rta.PRIORITY:
                    priority = AttributeValue.U32(value, "RTA_PRIORITY");
                    break;
                case Rta.TABLE:
                    table = AttributeValue.U32(value, "RTA_TABLE");
                    break;
                default:
                    break;
            }
        }

        return new RouteInfo(family, destination, prefix, gateway, oif, table, protocol, scope, kind, priority, source);
    }

    /// <summary>
    /// The payload of NLMSG_ERROR: errno (negative, 0 = ACK) and the extended-ack message if the kernel sent one.
    /// </summary>
    public static (int Errno, string? Message) ParseError(ReadOnlySpan<byte> payload, ushort flags)
    {
        if (payload.Length < 4)
        {
            throw new NetlinkFormatException($"NLMSG_ERROR payload has {payload.Length} bytes, expected at least 4.");
        }

        int error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        string? message = null;
        if ((flags & Nlmsg.F_ACK_TLVS) != 0 && payload.Length >= 4 + Nlmsg.HeaderLength)
        {
            // error, then the original nlmsghdr (payload echoed only when not F_CAPPED), then TLVs.
            int echoed = (flags & Nlmsg.F_CAPPED) != 0
                ? Nlmsg.HeaderLength
                : (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]), (uint)(payload.Length - 4));
            int start = 4 + Nlmsg.Align(Math.Max(echoed, Nlmsg.HeaderLength));
            if (start < payload.Length)
            {
                var tlvs = new AttributeReader(payload[start..]);
                while (tlvs.TryRead(out ushort type, out ReadOnlySpan<byte> value))
                {
                    if (type == Nlmsg.NLMSGERR_ATTR_MSG)
                    {
                        message = AttributeValue.String(value);
                    }
                }
            }
        }

        return (error == int.MinValue ? int.MaxValue : -error, message);
    }
}
