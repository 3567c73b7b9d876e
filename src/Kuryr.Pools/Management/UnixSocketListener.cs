using System.Net.Sockets;

namespace Kuryr.Pools.Management;

/// <summary>
/// The unix socket file's life around Kestrel: the directory is created, a stale socket file (no
/// server answers on it) is removed before the bind, a live one is refused, and after the bind the
/// file gets mode 0660 (owner and group read/write: the group decides who may steer the pools).
/// </summary>
public static class UnixSocketListener
{
    /// <summary>rw-rw---- .</summary>
    public const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>Before the bind: creates the directory and removes a stale socket file; throws
    /// <see cref="IOException"/> when another server is still listening on <paramref name="path"/>.</summary>
    /// <returns>True when a stale socket file was removed.</returns>
    public static bool Prepare(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"[pool_manager] sock_file \"{path}\" must be an absolute path", nameof(path));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            return false;
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException($"[pool_manager] sock_file {path}: another process is listening on it; refusing to take it over");
            }
            catch (SocketException)
            {
                // Nobody answers: a socket left by a process that died.
            }
        }

        File.Delete(path);
        return true;
    }

    /// <summary>After the bind: mode 0660 on the socket file.</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the pool management socket needs a unix file mode");
        }

        File.SetUnixFileMode(path, SocketMode);
    }
}
