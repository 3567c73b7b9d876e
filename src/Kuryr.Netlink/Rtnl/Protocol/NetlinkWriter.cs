using System.Buffers.Binary;
using System.Text;

namespace Kuryr.Netlink.Rtnl.Protocol;

/// <summary>
/// Builds one netlink message with explicit little-endian (host order on x86-64/arm64) layout:
/// nlmsghdr, the family header (ifinfomsg/ifaddrmsg/rtmsg), then rtattrs, each padded to 4 bytes
/// with zeros; nla_len counts header + payload, not the padding. Nested attributes are opened with
/// <see cref="BeginNested"/> and closed with <see cref="EndNested"/> (their length is patched).
/// </summary>
internal sealed class NetlinkWriter
{
    private byte[] _buffer = new byte[256];
    private int _length;

    public NetlinkWriter(ushort type, ushort flags, uint sequence)
    {
        Reserve(Nlmsg.HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(8), sequence);
        // nlmsg_pid 0: the kernel fills in the port id.
    }

    public int Length => _length;

    /// <summary>struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; }</summary>
    public NetlinkWriter IfInfo(byte family = AddressFamilies.AF_UNSPEC, int index = 0, uint flags = 0, uint change = 0)
    {
        Span<byte> s = Reserve(Ifla.IfInfoLength);
        s[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], change);
        return this;
    }

    /// <summary>struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; }</summary>
    public NetlinkWriter IfAddr(byte family, byte prefixLength, byte flags, byte scope, int index)
    {
        Span<byte> s = Reserve(Ifa.IfAddrLength);
        s[0] = family;
        s[1] = prefixLength;
        s[2] = flags;
        s[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
        return this;
    }

    /// <summary>struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; }</summary>
    public NetlinkWriter RtMsg(byte family, byte destinationLength, byte table, byte protocol, byte scope, byte type)
    {
        Span<byte> s = Reserve(Rta.RtMsgLength);
        s[0] = family;
        s[1] = destinationLength;
        s[4] = table;
        s[5] = protocol;
        s[6] = scope;
        s[7] = type;
        return this;
    }

    public NetlinkWriter Attribute(ushort type, ReadOnlySpan<byte> payload)
    {
        int length = 4 + payload.Length;
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"Netlink attribute {type} is too long ({payload.Length} bytes).", nameof(payload));
        }

        Span<byte> s = Reserve(Nlmsg.Align(length));
        BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        payload.CopyTo(s[4..]);
        return this;
    }

    public NetlinkWriter U32(ushort type, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return Attribute(type, b);
    }

    public NetlinkWriter U16(ushort type, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        return Attribute(type, b);
    }

    /// <summary>A string attribute; <paramref name="nulTerminated"/> as iproute2 sends it (names yes, kinds no).</summary>
    public NetlinkWriter String(ushort type, string value, bool nulTerminated = true)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        Span<byte> b = count < 256 ? stackalloc byte[count + 1] : new byte[count + 1];
        Encoding.UTF8.GetBytes(value, b);
        b[count] = 0;
        return Attribute(type, nulTerminated ? b : b[..count]);
    }

    public int BeginNested(ushort type)
    {
        int start = _length;
        Span<byte> s = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        return start;
    }

    public NetlinkWriter EndNested(int start)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), checked((ushort)(_length - start)));
        return this;
    }

    public byte[] ToArray()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
        return _buffer.AsSpan(0, _length).ToArray();
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        Span<byte> s = _buffer.AsSpan(_length, count);
        s.Clear();
        _length += count;
        return s;
    }
}
