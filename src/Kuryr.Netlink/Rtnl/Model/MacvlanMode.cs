namespace Kuryr.Netlink.Rtnl.Model;

/// <summary>IFLA_MACVLAN_MODE values (linux/if_link.h).</summary>
public enum MacvlanMode : uint
{
    /// <summary>No traffic between macvlans on the parent.</summary>
    Private = 1,

    /// <summary>Traffic between macvlans goes out to the adjacent switch.</summary>
    Vepa = 2,

    /// <summary>Macvlans on the parent talk to each other directly (Kuryr's nested macvlan).</summary>
    Bridge = 4,

    /// <summary>Takes over the parent.</summary>
    Passthru = 8,

    /// <summary>Source-address filtered.</summary>
    Source = 16,
}
