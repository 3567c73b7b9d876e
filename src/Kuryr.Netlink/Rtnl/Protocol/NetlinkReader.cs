using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Kuryr.Netlink.Rtnl.Protocol;

/// <summary>One netlink message inside a received datagram.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ushort type, ushort flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        PortId = portId;
        Payload = payload;
    }

    public ushort Type { get; }
    public ushort Flags { get; }
    public uint Sequence { get; }
    public uint PortId { get; }
    public ReadOnlySpan<byte> Payload { get; }
}

/// <summary>Splits a datagram into messages (nlmsghdr + payload, 4-byte aligned). Malformed input: <see cref="NetlinkFormatException"/>.</summary>
internal ref struct NetlinkMessageReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public bool TryRead(out NetlinkMessage message)
    {
        if (_rest.IsEmpty)
        {
            message = default;
            return false;
        }

        if (_rest.Length < Nlmsg.HeaderLength)
        {
            throw new NetlinkFormatException($"Netlink datagram has {_rest.Length} trailing bytes, fewer than a message header ({Nlmsg.HeaderLength}).");
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (length < Nlmsg.HeaderLength || length > (uint)_rest.Length)
        {
            throw new NetlinkFormatException($"Netlink message length {length} is outside [{Nlmsg.HeaderLength}, {_rest.Length}].");
        }

        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[12..]),
            _rest[Nlmsg.HeaderLength..(int)length]);
        _rest = _rest[Math.Min(Nlmsg.Align((int)length), _rest.Length)..];
        return true;
    }
}

/// <summary>Iterates rtattrs (len, type, payload, padding). Types are masked with 0x3fff (NLA_F_NESTED / NLA_F_NET_BYTEORDER).</summary>
internal ref struct AttributeReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public bool TryRead(out ushort type, out ReadOnlySpan<byte> payload)
    {
        // Fewer than 4 bytes left is trailing padding, which the kernel tolerates too.
        if (_rest.Length < 4)
        {
            type = 0;
            payload = default;
            return false;
        }

        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < 4 || length > _rest.Length)
        {
            throw new NetlinkFormatException($"Netlink attribute length {length} is outside [4, {_rest.Length}].");
        }

        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & 0x3fff);
        payload = _rest[4..length];
        _rest = _rest[Math.Min(Nlmsg.Align(length), _rest.Length)..];
        return true;
    }
}

/// <summary>Typed reads of attribute payloads with the attribute named in the error.</summary>
internal static class AttributeValue
{
    public static uint U32(ReadOnlySpan<byte> payload, string attribute)
        => payload.Length >= 4
            ? BinaryPrimitives.ReadUInt32LittleEndian(payload)
            : throw new NetlinkFormatException($"Netlink attribute {attribute} has {payload.Length} bytes, expected 4.");

    public static ushort U16(ReadOnlySpan<byte> payload, string attribute)
        => payload.Length >= 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(payload)
            : throw new NetlinkFormatException($"Netlink attribute {attribute} has {payload.Length} bytes, expected 2.");

    public static byte U8(ReadOnlySpan<byte> payload, string attribute)
        => payload.Length >= 1
            ? payload[0]
            : throw new NetlinkFormatException($"Netlink attribute {attribute} is empty, expected 1 byte.");

    /// <summary>A string up to the first NUL (or the end); invalid UTF-8 is replaced, never thrown.</summary>
    public static string String(ReadOnlySpan<byte> payload)
    {
        int nul = payload.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? payload[..nul] : payload);
    }

    public static IPAddress Address(ReadOnlySpan<byte> payload, string attribute)
        => payload.Length is 4 or 16
            ? new IPAddress(payload)
            : throw new NetlinkFormatException($"Netlink attribute {attribute} has {payload.Length} bytes, expected an IPv4 (4) or IPv6 (16) address.");
}
