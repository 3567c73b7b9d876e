using System.Net;

namespace Kuryr.Netlink.Rtnl.Model;

/// <summary>
/// A route to add or delete. <see cref="Destination"/> null means the default route (prefix 0).
/// With a <see cref="Gateway"/> the route has universe scope; without one it is on-link (link scope)
/// and needs <see cref="OutputInterfaceIndex"/>.
/// </summary>
public sealed record RouteSpec(IPAddress? Destination, int PrefixLength, IPAddress? Gateway, int? OutputInterfaceIndex, uint? Metric = null, uint Table = 254)
{
    /// <summary>default via <paramref name="gateway"/> [dev <paramref name="outputInterfaceIndex"/>].</summary>
    public static RouteSpec DefaultVia(IPAddress gateway, int? outputInterfaceIndex = null)
        => new(null, 0, gateway, outputInterfaceIndex);

    /// <summary><paramref name="destination"/>/<paramref name="prefixLength"/> via <paramref name="gateway"/> (a subnet host route).</summary>
    public static RouteSpec Via(IPAddress destination, int prefixLength, IPAddress gateway, int? outputInterfaceIndex = null)
        => new(destination, prefixLength, gateway, outputInterfaceIndex);

    /// <summary><paramref name="destination"/>/<paramref name="prefixLength"/> dev <paramref name="outputInterfaceIndex"/> scope link.</summary>
    public static RouteSpec OnLink(IPAddress destination, int prefixLength, int outputInterfaceIndex)
        => new(destination, prefixLength, null, outputInterfaceIndex);
}
