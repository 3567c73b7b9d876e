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
