using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl.Model;

namespace Kuryr.Netlink.Rtnl;

/// <summary>
/// NETLINK_ROUTE operations on ONE network namespace: the one its socket was created in (see
/// <see cref="IRtNetlinkFactory"/>). Safe to call from any thread; requests on one instance are
/// serialised (open several for parallelism). Refusals raise <see cref="Errors.NetlinkException"/>
/// (EEXIST, ENODEV, EBUSY as their own subclasses); bad arguments raise ArgumentException naming the field.
/// </summary>
public interface IRtNetlink : IDisposable
{
    /// <summary>All links (a dump, possibly over several datagrams).</summary>
    Task<IReadOnlyList<LinkInfo>> ListLinksAsync(CancellationToken cancellationToken = default);

    /// <summary>The link called <paramref name="name"/>, or null when there is none.</summary>
    Task<LinkInfo?> GetLinkAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The link with ifindex <paramref name="index"/>, or null when there is none.</summary>
    Task<LinkInfo?> GetLinkAsync(int index, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a veth pair: <paramref name="name"/> here and <paramref name="peerName"/> created directly
    /// inside <paramref name="peerNamespace"/> (here when null). Nothing is moved between namespaces.
    /// </summary>
    Task CreateVethAsync(string name, string peerName, NetworkNamespace? peerNamespace, LinkOptions? options = null, LinkOptions? peerOptions = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a macvlan on parent <paramref name="parentIndex"/> (here), optionally directly inside <paramref name="targetNamespace"/>.</summary>
    Task CreateMacvlanAsync(string name, int parentIndex, MacvlanMode mode = MacvlanMode.Bridge, NetworkNamespace? targetNamespace = null, LinkOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates an 802.1Q subinterface (needs the kernel's 8021q support).</summary>
    Task CreateVlanAsync(string name, int parentIndex, int vlanId, NetworkNamespace? targetNamespace = null, LinkOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a Linux bridge.</summary>
    Task CreateBridgeAsync(string name, LinkOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Enslaves a link to bridge <paramref name="masterIndex"/>, or releases it when null (EBUSY when the link already has an rx handler, e.g. it is a macvlan parent).</summary>
    Task SetLinkMasterAsync(int index, int? masterIndex, CancellationToken cancellationToken = default);

    /// <summary>Renames a link (kernels before 6.x answer EBUSY while it is up; this one allows it).</summary>
    Task SetLinkNameAsync(int index, string name, CancellationToken cancellationToken = default);

    /// <summary>Sets the MAC address.</summary>
    Task SetLinkMacAsync(int index, PhysicalAddress mac, CancellationToken cancellationToken = default);

    /// <summary>Sets the MTU.</summary>
    Task SetLinkMtuAsync(int index, int mtu, CancellationToken cancellationToken = default);

    /// <summary>Sets the link administratively up or down.</summary>
    Task SetLinkUpAsync(int index, bool up, CancellationToken cancellationToken = default);

    /// <summary>Moves a link into <paramref name="target"/> (IFLA_NET_NS_FD); it keeps its name unless taken there.</summary>
    Task MoveLinkAsync(int index, NetworkNamespace target, CancellationToken cancellationToken = default);

    /// <summary>Deletes a link (a veth takes its peer with it).</summary>
    Task DeleteLinkAsync(int index, CancellationToken cancellationToken = default);

    /// <summary>Addresses, optionally of one family and one link.</summary>
    Task<IReadOnlyList<AddressInfo>> ListAddressesAsync(AddressFamily family = AddressFamily.Unspecified, int? index = null, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="address"/>/<paramref name="prefixLength"/>; <paramref name="noDad"/> skips IPv6 duplicate address detection.</summary>
    Task AddAddressAsync(int index, IPAddress address, int prefixLength, bool noDad = false, CancellationToken cancellationToken = default);

    /// <summary>Removes an address.</summary>
    Task DeleteAddressAsync(int index, IPAddress address, int prefixLength, CancellationToken cancellationToken = default);

    /// <summary>Routes of all tables, optionally of one family.</summary>
    Task<IReadOnlyList<RouteInfo>> ListRoutesAsync(AddressFamily family = AddressFamily.Unspecified, CancellationToken cancellationToken = default);

    /// <summary>Adds a route (EEXIST when it exists unless <paramref name="replace"/>).</summary>
    Task AddRouteAsync(RouteSpec route, bool replace = false, CancellationToken cancellationToken = default);

    /// <summary>Deletes a route.</summary>
    Task DeleteRouteAsync(RouteSpec route, CancellationToken cancellationToken = default);
}
