using System.Net.Sockets;
using Kuryr.Netlink.Interop;
using Kuryr.Netlink.Namespaces;

namespace Kuryr.Netlink.Rtnl;

/// <summary>
/// A NETLINK_ROUTE socket. The BCL cannot create AF_NETLINK sockets, so the fd comes from
/// socket()/bind() via P/Invoke and is wrapped in a <see cref="Socket"/>. The socket belongs to the
/// namespace that was current on the creating thread, whichever thread uses it afterwards.
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    private readonly Socket _socket;

    private NetlinkSocket(Socket socket) => _socket = socket;

    /// <summary>Creates a socket in the calling thread's current network namespace.</summary>
    public static unsafe NetlinkSocket Create()
    {
        int fd = LibC.Socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
        if (fd < 0)
        {
            int errno = LibC.LastError;
            throw new NetworkNamespaceException($"socket(AF_NETLINK, NETLINK_ROUTE) failed: {LibC.Describe(errno)}", errno, "/proc/thread-self/ns/net");
        }

        var address = new LibC.SockAddrNl { Family = LibC.AF_NETLINK };
        if (LibC.Bind(fd, &address, (uint)sizeof(LibC.SockAddrNl)) != 0)
        {
            int errno = LibC.LastError;
            _ = LibC.Close(fd);
            throw new NetworkNamespaceException($"bind(AF_NETLINK) failed: {LibC.Describe(errno)}", errno, "/proc/thread-self/ns/net");
        }

        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        Span<byte> on = [1, 0, 0, 0];
        // Extended acks give the kernel's reason text; capped acks avoid echoing whole requests back.
        socket.SetRawSocketOption(LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, on);
        socket.SetRawSocketOption(LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, on);
        return new NetlinkSocket(socket);
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
        => _socket.SendAsync(request, SocketFlags.None, cancellationToken);

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        => _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    public void Dispose() => _socket.Dispose();
}
