using Kuryr.Pools.State;

namespace Kuryr.Pools.Drivers;

/// <summary>
/// One Kuryr pool driver (<c>noop</c>, <c>neutron</c>, <c>nested</c>): knows how to make, delete
/// and find the Neutron ports of its pools. The pool manager owns the Redis state, locks and
/// limits; drivers own the Neutron side.
/// </summary>
public interface IPoolDriver
{
    /// <summary>The <c>vif_pool_driver</c> name: <c>noop</c>, <c>neutron</c> or <c>nested</c>.</summary>
    string Name { get; }

    /// <summary>The <c>pod_vif_driver</c> it serves: <c>neutron-vif</c>, <c>nested-vlan</c>, …</summary>
    string PodVifDriver { get; }

    /// <summary>False for <c>noop</c>: every request creates a port and every release deletes it.</summary>
    bool Pooled { get; }

    /// <summary>The pool a request belongs to (host = node name, or the trunk parent IP for nested).
    /// Throws <see cref="PoolDriverException"/> when the request lacks what the driver needs (e.g. no hostIP).</summary>
    PoolKey PoolFor(PodVifRequest request);

    /// <summary>Creates <paramref name="count"/> ports in ONE bulk request (nested: plus one
    /// add_subports), tagged with the cluster's ownership tags, and returns them with their VIFs.
    /// On failure nothing is left behind (created ports are deleted, VLAN ids released).</summary>
    Task<IReadOnlyList<PooledPort>> CreatePortsAsync(PoolTarget target, int count, CancellationToken cancellationToken);

    /// <summary>Updates a port's security groups (the SG swap on take). <paramref name="securityGroups"/>
    /// must name groups: an empty set is refused with <see cref="ArgumentException"/> (Neutron would
    /// remove every group); the manager resolves "the project's default" to its explicit id first.</summary>
    Task UpdateSecurityGroupsAsync(string portId, SecurityGroupSet securityGroups, CancellationToken cancellationToken);

    /// <summary>Deletes ports from Neutron (nested: remove_subports first, then release VLAN ids). A
    /// port already gone counts as deleted.</summary>
    Task DeletePortsAsync(PoolKey pool, IReadOnlyList<string> portIds, CancellationToken cancellationToken);

    /// <summary>Every port of this driver's kind that Neutron holds for this cluster (recovery, GC):
    /// complete, or an exception — never a partial listing.</summary>
    Task<IReadOnlyList<DiscoveredPort>> DiscoverAsync(CancellationToken cancellationToken);
}

/// <summary>A port found in Neutron, with the pool it belongs to and its current SGs.</summary>
public sealed record DiscoveredPort(
    PoolKey Pool,
    string PortId,
    string VifJson,
    SecurityGroupSet SecurityGroups,
    DateTimeOffset? CreatedAt,
    bool Tagged);

/// <summary>A driver cannot serve a request (bad input or missing cloud state), with a message naming what.</summary>
public sealed class PoolDriverException : Exception
{
    public PoolDriverException() { }

    public PoolDriverException(string message) : base(message) { }

    public PoolDriverException(string message, Exception innerException) : base(message, innerException) { }
}
