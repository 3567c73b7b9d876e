using System.Net.NetworkInformation;

namespace Kuryr.Netlink.Rtnl.Model;

/// <summary>Optional attributes for a link being created: MTU and MAC (null = kernel default).</summary>
public sealed record LinkOptions(int? Mtu = null, PhysicalAddress? MacAddress = null);
