using System.Net;

namespace Kuryr.Netlink.Rtnl.Model;

/// <summary>An interface address as RTM_NEWADDR describes it.</summary>
public sealed record AddressInfo(int InterfaceIndex, IPAddress Address, int PrefixLength, byte Scope, uint Flags, string? Label);
