namespace Kuryr.Pools.Ownership;

/// <summary>
/// Who owns a Neutron port: every port Kuryr.Node creates carries the cluster's ownership tags from
/// its bulk create on (<c>[neutron_defaults] resource_tags</c> plus
/// <c>kuryr.node.cluster=&lt;[neutron_defaults] cluster_id&gt;</c>). Recovery and garbage collection
/// only ever adopt or delete ports for which <see cref="IsOurs(IReadOnlyCollection{string})"/> holds.
/// </summary>
public interface IPortOwnership
{
    /// <summary>The cluster tag, e.g. <c>kuryr.node.cluster=kubernetes</c>.</summary>
    string ClusterTag { get; }

    /// <summary>Every tag to put on a port we create: <c>resource_tags</c> then <see cref="ClusterTag"/>
    /// (distinct, in that order).</summary>
    IReadOnlyList<string> Tags { get; }

    /// <summary>True when the port's tags include every one of <see cref="Tags"/>.</summary>
    bool IsOurs(IReadOnlyCollection<string> portTags);
}

/// <summary>Tags with a fixed meaning on the ports we create.</summary>
public static class PortTags
{
    /// <summary>
    /// Marks a port created for one pod outside the pools (a multi-VIF port): pool discovery and
    /// recovery never adopt it into a pool, whatever its device_owner (Neutron's OVS trunk driver
    /// rewrites a subport's device_owner to <c>trunk:subport</c>, so the owner alone cannot tell).
    /// </summary>
    public const string PerPod = "kuryr.node.per-pod";
}
