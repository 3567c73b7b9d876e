using Kuryr.Pools.State;

namespace Kuryr.Pools;

/// <summary>
/// The front door to the ports pools (Kuryr's <c>multi_pool</c>): picks the pool driver for the
/// pod's node, hands out a port for one pod interface, takes it back, and lets operators steer
/// pools. Implemented by <c>Manager/VifPoolManager</c>.
/// </summary>
public interface IVifPool
{
    /// <summary>
    /// A port for one interface of a pod. Prefers a port whose security groups match; else the
    /// least recently used bucket plus one <c>update_port</c>; an empty pool is populated
    /// synchronously first. Triggers a background refill when the pool drops below
    /// <c>ports_pool_min</c>. Idempotent per <see cref="PodVifRequest.Owner"/>.
    /// Throws <see cref="PoolsNotReadyException"/> until recovery has finished.
    /// </summary>
    Task<VifAssignment> RequestVifAsync(PodVifRequest request, CancellationToken cancellationToken = default);

    /// <summary>The pod is gone: the port becomes recyclable (no Neutron call with pools; the noop
    /// driver deletes it). Idempotent.</summary>
    Task ReleaseVifAsync(VifRelease release, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="ports"/> ports to a pool now (management API, namespace
    /// prepopulation), under the pool's population lock and <c>ports_pool_max</c>.</summary>
    Task<int> PopulateAsync(PoolTarget target, int ports, CancellationToken cancellationToken = default);

    /// <summary>Deletes a pool's available (and recyclable) ports from Neutron; ports in use stay.</summary>
    Task<int> FreePoolAsync(PoolKey pool, CancellationToken cancellationToken = default);

    /// <summary>True once recovery has rebuilt or checked the pools (readiness).</summary>
    bool IsReady { get; }
}

/// <summary>One pod interface asking for a port.</summary>
/// <param name="Namespace">Pod namespace.</param>
/// <param name="PodName">Pod name.</param>
/// <param name="PodUid">Pod UID.</param>
/// <param name="NodeName">spec.nodeName: the pool host for bare-metal pools, and the key of the node's <c>pod_vif</c> label.</param>
/// <param name="HostIp">status.hostIP: the pool host for nested pools (the VM's trunk parent port IP).</param>
/// <param name="InterfaceName">eth0 for the default VIF, eth1… for additional ones.</param>
/// <param name="ProjectId">Neutron project of the port.</param>
/// <param name="SubnetId">Subnet the port's fixed IP comes from.</param>
/// <param name="NetworkId">That subnet's network (part of the pool key).</param>
/// <param name="SecurityGroups">Security groups the port must carry.</param>
public sealed record PodVifRequest(
    string Namespace,
    string PodName,
    string PodUid,
    string NodeName,
    string? HostIp,
    string InterfaceName,
    string ProjectId,
    string SubnetId,
    string NetworkId,
    SecurityGroupSet SecurityGroups)
{
    /// <summary>Who holds the port: <c>namespace/pod/uid/ifname</c>.</summary>
    public string Owner => $"{Namespace}/{PodName}/{PodUid}/{InterfaceName}";
}

/// <summary>The port handed to a pod interface and its VIF (Kuryr's os-vif JSON envelope, as
/// written into the KuryrPort's <c>status.vifs</c>).</summary>
public sealed record VifAssignment(PoolKey Pool, string Driver, string PortId, string VifJson);

/// <summary>Gives a pod interface's port back. <paramref name="Owner"/> null releases whoever holds
/// it (force-deleted pods, recovery). <paramref name="PodVifDriver"/> (from the VIF's class) picks
/// among several pool drivers of the same name (multi_pool with <c>neutron-vif:noop</c> and
/// <c>nested-macvlan:noop</c>); null: the only one, or the one the pool's host fits.</summary>
public sealed record VifRelease(PoolKey Pool, string Driver, string PortId, string? Owner, string? PodVifDriver = null);

/// <summary>Where to populate: a pool key plus what creating ports there needs.</summary>
public sealed record PoolTarget(PoolKey Pool, string Driver, string NodeName, string SubnetId, SecurityGroupSet SecurityGroups);

/// <summary>Pools are still being recovered after a start or a Redis loss: retry later.</summary>
public sealed class PoolsNotReadyException : Exception
{
    public PoolsNotReadyException() : base("ports pools are not recovered yet") { }

    public PoolsNotReadyException(string message) : base(message) { }

    public PoolsNotReadyException(string message, Exception innerException) : base(message, innerException) { }
}
