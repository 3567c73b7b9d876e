using System.Globalization;
using Kuryr.Netlink.Interop;
using Microsoft.Win32.SafeHandles;

namespace Kuryr.Netlink.Namespaces;

/// <summary>
/// An open network namespace: a file descriptor on <c>/var/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>
/// or any other nsfs file. Holding it keeps the namespace alive. Pass it to
/// <see cref="INetnsRunner"/> to run code inside, or to netlink requests that take a namespace fd
/// (veth peer created in place, moving a link).
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    /// <summary>Where named namespaces are bind-mounted, as <c>ip netns</c> does.</summary>
    public const string NamedRoot = "/var/run/netns";

    private readonly SafeFileHandle _handle;

    private NetworkNamespace(SafeFileHandle handle, string path, string? name)
    {
        _handle = handle;
        Path = path;
        Name = name;
    }

    /// <summary>The path it was opened from.</summary>
    public string Path { get; }

    /// <summary>The <c>ip netns</c> name when opened by name, otherwise null.</summary>
    public string? Name { get; }

    internal SafeFileHandle Handle => _handle;

    /// <summary>The raw descriptor, for netlink attributes (IFLA_NET_NS_FD). Valid while this object lives.</summary>
    public int FileDescriptor
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return (int)_handle.DangerousGetHandle();
        }
    }

    /// <summary>The nsfs inode (the number in <c>net:[N]</c>): equal ids mean the same namespace.</summary>
    public ulong Id => LibC.Inode(FileDescriptor);

    /// <summary>Opens a namespace file (<c>/var/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>, ...).</summary>
    /// <exception cref="NetworkNamespaceException">The file does not exist or is not a namespace.</exception>
    public static NetworkNamespace Open(string path) => Open(path, null);

    /// <summary>Opens the named namespace <c>/var/run/netns/<paramref name="name"/></c>.</summary>
    public static NetworkNamespace OpenNamed(string name) => Open(NamedPath(name), name);

    /// <summary>Opens the network namespace of process <paramref name="pid"/>.</summary>
    public static NetworkNamespace OpenProcess(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        return Open($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/net", null);
    }

    /// <summary>Opens the namespace the calling OS thread is in now.</summary>
    public static NetworkNamespace OpenCurrentThread() => Open("/proc/thread-self/ns/net", null);

    /// <summary>True when <c>/var/run/netns/<paramref name="name"/></c> exists.</summary>
    public static bool NamedExists(string name) => File.Exists(NamedPath(name));

    /// <summary>The id of the namespace the calling OS thread is in now.</summary>
    public static ulong CurrentThreadId() => ReadId("/proc/thread-self/ns/net");

    internal static string NamedPath(string name)
    {
        ValidateName(name);
        return System.IO.Path.Combine(NamedRoot, name);
    }

    internal static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) || name.Length > 255)
        {
            throw new ArgumentException($"Network namespace name '{name}' is invalid: it must be 1-255 characters without '/' or NUL and not '.' or '..'.", nameof(name));
        }
    }

    private static NetworkNamespace Open(string path, string? name)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = LibC.LastError;
            throw new NetworkNamespaceException($"Opening network namespace '{path}' failed: {LibC.Describe(errno)}", errno, path);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var ns = new NetworkNamespace(handle, path, name);
        // NS_GET_NSTYPE answers CLONE_NEWNET only for a network namespace (nsfs) file.
        int type = LibC.Ioctl(fd, LibC.NS_GET_NSTYPE);
        if (type != LibC.CLONE_NEWNET)
        {
            int errno = type < 0 ? LibC.LastError : LibC.EINVAL;
            ns.Dispose();
            throw new NetworkNamespaceException($"'{path}' is not a network namespace ({(type < 0 ? LibC.Describe(errno) : "another namespace type")}).", errno, path);
        }

        return ns;
    }

    private static ulong ReadId(string link)
    {
        string target = ReadLink(link);
        // "net:[4026531840]"
        if (target.StartsWith("net:[", StringComparison.Ordinal) && target.EndsWith(']')
            && ulong.TryParse(target.AsSpan(5, target.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out ulong id))
        {
            return id;
        }

        throw new NetworkNamespaceException($"'{link}' does not resolve to a network namespace (it resolves to '{target}').", LibC.EINVAL, link);
    }

    private static string ReadLink(string link)
        => new FileInfo(link).LinkTarget
           ?? throw new NetworkNamespaceException($"'{link}' is not a symbolic link.", LibC.EINVAL, link);

    /// <inheritdoc />
    public override string ToString() => Name ?? Path;

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
