using Kuryr.Netlink.Namespaces;

namespace Kuryr.Netlink.Rtnl;

/// <summary>Opens <see cref="IRtNetlink"/> clients bound to a namespace.</summary>
public interface IRtNetlinkFactory
{
    /// <summary>
    /// A client on the process's own namespace (the socket is created on a fresh dedicated thread
    /// that has never entered another namespace).
    /// </summary>
    Task<IRtNetlink> OpenHostAsync(CancellationToken cancellationToken = default);

    /// <summary>A client whose socket was created inside <paramref name="target"/> on a runner thread; usable from any thread.</summary>
    Task<IRtNetlink> OpenAsync(NetworkNamespace target, CancellationToken cancellationToken = default);
}
