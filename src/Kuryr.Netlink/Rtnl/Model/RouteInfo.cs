using System.Net;
using System.Net.Sockets;

namespace Kuryr.Netlink.Rtnl.Model;

/// <summary>A route as RTM_NEWROUTE describes it. <see cref="Destination"/> null with prefix 0 is the default route.</summary>
public sealed record RouteInfo(
    AddressFamily Family,
    IPAddress? Destination,
    int PrefixLength,
    IPAddress? Gateway,
    int? OutputInterfaceIndex,
    uint Table,
    byte Protocol,
    byte Scope,
    byte Type,
    uint? Priority,
    IPAddress? PreferredSource)
{
    /// <summary>0.0.0.0/0 or ::/0.</summary>
    public bool IsDefault => PrefixLength == 0;
}
