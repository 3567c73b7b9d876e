namespace Kuryr.Vifs;

/// <summary>Kuryr's device names (kuryr-lib <c>get_veth_pair_names</c>, os-vif hybrid bridge).</summary>
public static class VifNames
{
    /// <summary>Linux's longest interface name is 15; Kuryr's names are 14.</summary>
    public const int NameLength = 14;

    /// <summary><c>tap</c> + port id, cut to 14 characters.</summary>
    public static string Tap(string portId) => Cut("tap", portId);

    /// <summary><c>qbr</c> + port id, cut to 14 characters (OVS hybrid plug bridge).</summary>
    public static string HybridBridge(string portId) => Cut("qbr", portId);

    private static string Cut(string prefix, string portId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(portId);
        var name = prefix + portId;
        return name.Length <= NameLength ? name : name[..NameLength];
    }
}
