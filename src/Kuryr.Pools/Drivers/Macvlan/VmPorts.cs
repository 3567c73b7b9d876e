using System.Collections.Concurrent;
using System.Net;
using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Ports;
using Kuryr.Pools.Drivers.Common;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Drivers.Macvlan;

/// <summary>
/// Finds a worker VM's port by the node's IP, as Kuryr's <c>nested_vif._get_parent_port</c>: the
/// port holding that IP inside <c>[pod_vif_nested] worker_nodes_subnets</c> (the same rule the
/// nested driver uses for trunk parents, without needing a trunk). Lookups are cached per node IP;
/// a cached port found gone is looked up again.
/// </summary>
internal sealed class VmPorts(INeutronClient neutron, IOptions<PodVifNestedOptions> options)
{
    private readonly ConcurrentDictionary<string, string> _byHostIp = new(StringComparer.Ordinal);

    /// <summary>Node IPs resolved so far (discovery also reconciles their VM ports).</summary>
    public IReadOnlyCollection<string> KnownPortIds => [.. _byHostIp.Values.Distinct(StringComparer.Ordinal)];

    /// <summary>The configured worker subnets; throws naming the option when it is empty.</summary>
    public IReadOnlySet<string> WorkerSubnets =>
        WorkerVmPorts.Subnets(options.Value, "the nested-macvlan driver needs the subnet ids of the worker VMs to find their ports");

    public void Invalidate(string hostIp) => _byHostIp.TryRemove(hostIp, out _);

    /// <summary>The id of the VM port of node IP <paramref name="hostIp"/>; a
    /// <see cref="PoolDriverException"/> naming the node IP and what is missing.</summary>
    public async Task<string> ResolveAsync(string hostIp, CancellationToken cancellationToken)
    {
        if (_byHostIp.TryGetValue(hostIp, out var cached))
        {
            return cached;
        }

        var vms = await WorkerVmPorts.FindAsync(neutron, hostIp, WorkerSubnets, "nested-macvlan", cancellationToken).ConfigureAwait(false);
        if (vms.Count > 1)
        {
            throw new PoolDriverException(
                $"K8sNodeTrunkPortFailure: nested-macvlan: several ports hold node IP {hostIp} in worker_nodes_subnets: {string.Join(", ", vms.Select(p => p.Id))}");
        }

        _byHostIp[hostIp] = vms[0].Id;
        return vms[0].Id;
    }

    /// <summary>The node IP of a VM port: its fixed IP in a worker subnet, else its first one.</summary>
    public string? HostIpOf(Port vmPort)
    {
        ArgumentNullException.ThrowIfNull(vmPort);
        IReadOnlySet<string> subnets;
        try
        {
            subnets = WorkerSubnets;
        }
        catch (PoolDriverException)
        {
            subnets = new HashSet<string>();
        }

        var ip = vmPort.FixedIps.FirstOrDefault(f => f.SubnetId is not null && subnets.Contains(f.SubnetId))?.IpAddress
            ?? (vmPort.FixedIps.Count > 0 ? vmPort.FixedIps[0].IpAddress : null);
        if (ip is not null)
        {
            _byHostIp.TryAdd(ip, vmPort.Id);
        }

        return ip;
    }
}
