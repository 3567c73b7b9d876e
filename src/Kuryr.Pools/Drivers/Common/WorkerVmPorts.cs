using System.Net;
using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Ports;
using Kuryr.Pools.State;

namespace Kuryr.Pools.Drivers.Common;

/// <summary>
/// What the nested drivers share to find a worker VM by its node IP, as Kuryr's
/// <c>nested_vif._get_parent_port</c>: the pool key (the node IP), the configured
/// <c>[pod_vif_nested] worker_nodes_subnets</c>, and the ports holding the node IP inside them.
/// </summary>
internal static class WorkerVmPorts
{
    /// <summary>The pool key of a pod on a worker VM: the node's IP (<c>status.hostIP</c>).</summary>
    /// <param name="why">Why the driver needs the IP, for the error when the pod has none yet.</param>
    public static PoolKey KeyByNodeIp(PodVifRequest request, string why)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hostIp = request.HostIp?.Trim();
        if (string.IsNullOrEmpty(hostIp))
        {
            throw new PoolDriverException($"pod {request.Namespace}/{request.PodName} has no status.hostIP yet: {why}");
        }

        if (!IPAddress.TryParse(hostIp, out _))
        {
            throw new PoolDriverException($"status.hostIP \"{hostIp}\" of pod {request.Namespace}/{request.PodName} is not an IP address");
        }

        return new PoolKey(hostIp, request.ProjectId, request.NetworkId);
    }

    /// <summary>The configured worker subnets; throws naming the option when it is empty.</summary>
    /// <param name="needs">What the driver needs them for, for the error.</param>
    public static IReadOnlySet<string> Subnets(PodVifNestedOptions options, string needs)
    {
        ArgumentNullException.ThrowIfNull(options);
        var subnets = options.WorkerNodesSubnets.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToHashSet(StringComparer.Ordinal);
        if (subnets.Count == 0)
        {
            throw new PoolDriverException($"[pod_vif_nested] worker_nodes_subnets is empty: {needs}");
        }

        return subnets;
    }

    /// <summary>
    /// The ports holding <paramref name="hostIp"/> inside <paramref name="subnets"/> (at least one);
    /// Kuryr's <c>K8sNodeTrunkPortFailure</c> naming the IP, the subnets and the ports found elsewhere
    /// when there is none.
    /// </summary>
    /// <param name="who">The driver, prefixed to the errors.</param>
    public static async Task<IReadOnlyList<Port>> FindAsync(INeutronClient neutron, string hostIp, IReadOnlySet<string> subnets, string who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(neutron);
        ArgumentNullException.ThrowIfNull(subnets);
        if (!IPAddress.TryParse(hostIp, out _))
        {
            throw new PoolDriverException($"{who}: node IP \"{hostIp}\" is not an IP address (status.hostIP of the pod's node)");
        }

        var ports = new List<Port>();
        await foreach (var p in neutron.ListPortsAsync(new PortFilter { FixedIps = [new FixedIpRequest { IpAddress = hostIp }] }, cancellationToken).ConfigureAwait(false))
        {
            ports.Add(p);
        }

        var vms = ports.Where(p => p.FixedIps.Any(ip => ip.IpAddress == hostIp && ip.SubnetId is not null && subnets.Contains(ip.SubnetId))).ToList();
        if (vms.Count == 0)
        {
            var elsewhere = ports.Count == 0
                ? "no Neutron port has that IP"
                : "ports with that IP are outside those subnets: " + string.Join(", ", ports.Select(p => $"{p.Id} (subnet {p.FixedIps.FirstOrDefault(ip => ip.IpAddress == hostIp)?.SubnetId})"));
            throw new PoolDriverException(
                $"K8sNodeTrunkPortFailure: {who}: no worker VM port with node IP {hostIp} in [pod_vif_nested] worker_nodes_subnets ({string.Join(", ", subnets.Order(StringComparer.Ordinal))}); {elsewhere}");
        }

        return vms;
    }
}
