using System.Collections.Concurrent;
using System.Net;
using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Ports;
using Kuryr.Pools.Drivers.Common;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Drivers.Nested;

/// <summary>A worker VM's trunk: its parent port (whose IP is the pool host) and the trunk id.</summary>
internal sealed record NodeTrunk(string HostIp, string ParentPortId, string TrunkId);

/// <summary>A node trunk found by a listing, with the subports Neutron reports on its parent.</summary>
internal sealed record NodeTrunkListing(NodeTrunk Trunk, IReadOnlyList<TrunkSubPortDetail> SubPorts);

/// <summary>
/// Finds worker VMs' trunks as Kuryr's <c>nested_vif.py</c> does: the parent is the port holding
/// the node's IP inside <c>[pod_vif_nested] worker_nodes_subnets</c>, the trunk is its
/// <c>trunk_details.trunk_id</c>. Ports outside those subnets are never taken for nodes, so a
/// trunk of some other VM (LP #1914631) is not mistaken for a node's. Lookups are cached per host
/// IP; callers invalidate an entry when the trunk turns out to be gone.
/// </summary>
internal sealed class NodeTrunks
{
    private readonly INeutronClient _neutron;
    private readonly IOptions<PodVifNestedOptions> _options;
    private readonly ConcurrentDictionary<string, NodeTrunk> _cache = new(StringComparer.Ordinal);

    public NodeTrunks(INeutronClient neutron, IOptions<PodVifNestedOptions> options)
    {
        _neutron = neutron;
        _options = options;
    }

    /// <summary>The configured worker subnets; throws naming the option when it is empty.</summary>
    public IReadOnlySet<string> WorkerSubnets =>
        WorkerVmPorts.Subnets(_options.Value, "the nested pool driver needs the subnet ids of the worker VMs to find their trunk parent ports");

    public bool TryGetCached(string hostIp, out NodeTrunk trunk) => _cache.TryGetValue(hostIp, out trunk!);

    public void Invalidate(string hostIp) => _cache.TryRemove(hostIp, out _);

    /// <summary>The trunk of the worker VM whose IP is <paramref name="hostIp"/>; a
    /// <see cref="PoolDriverException"/> naming what is missing (Kuryr's K8sNodeTrunkPortFailure).</summary>
    public async Task<NodeTrunk> ResolveAsync(string hostIp, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(hostIp, out var cached))
        {
            return cached;
        }

        var parents = await WorkerVmPorts.FindAsync(_neutron, hostIp, WorkerSubnets, "nested pool", cancellationToken).ConfigureAwait(false);
        var withTrunk = parents.Where(p => p.TrunkDetails is { TrunkId.Length: > 0 }).ToList();
        if (withTrunk.Count == 0)
        {
            throw new PoolDriverException(
                $"K8sNodeTrunkPortFailure: the port {parents[0].Id} of node IP {hostIp} has no trunk (trunk_details is empty): nested pods need a trunk on the worker VM's port");
        }

        if (withTrunk.Count > 1)
        {
            throw new PoolDriverException(
                $"K8sNodeTrunkPortFailure: several trunk parent ports hold node IP {hostIp} in worker_nodes_subnets: {string.Join(", ", withTrunk.Select(p => p.Id))}");
        }

        var trunk = new NodeTrunk(hostIp, withTrunk[0].Id, withTrunk[0].TrunkDetails!.TrunkId);
        _cache[hostIp] = trunk;
        return trunk;
    }

    /// <summary>Every node trunk: ports with <c>trunk_details</c> whose FIRST fixed IP is in a worker
    /// subnet (as Kuryr's <c>get_nodes_ips</c>). Complete or throws. Refreshes the cache.</summary>
    public async Task<IReadOnlyList<NodeTrunkListing>> ListAsync(CancellationToken cancellationToken)
    {
        var subnets = WorkerSubnets;
        var found = new Dictionary<string, NodeTrunkListing>(StringComparer.Ordinal);
        foreach (var subnet in subnets.Order(StringComparer.Ordinal))
        {
            var filter = new PortFilter { FixedIps = [new FixedIpRequest { SubnetId = subnet }] };
            await foreach (var p in _neutron.ListPortsAsync(filter, cancellationToken).ConfigureAwait(false))
            {
                if (p.TrunkDetails is not { TrunkId.Length: > 0 } details || p.FixedIps.Count == 0)
                {
                    continue;
                }

                var first = p.FixedIps[0];
                if (first.SubnetId is null || first.IpAddress is null || !subnets.Contains(first.SubnetId))
                {
                    continue;
                }

                var trunk = new NodeTrunk(first.IpAddress, p.Id, details.TrunkId);
                found[trunk.TrunkId] = new NodeTrunkListing(trunk, details.SubPorts);
            }
        }

        foreach (var listing in found.Values)
        {
            _cache[listing.Trunk.HostIp] = listing.Trunk;
        }

        return [.. found.Values];
    }
}
