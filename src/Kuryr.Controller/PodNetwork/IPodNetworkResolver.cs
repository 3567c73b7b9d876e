using Kuryr.Kubernetes.Models;
using Kuryr.Pools.State;

namespace Kuryr.Controller.PodNetwork;

/// <summary>
/// Kuryr's pod_project, pod_subnets and pod_security_groups drivers in one place: which project,
/// subnet (and its network) and security groups a pod's default VIF gets. <c>default</c> drivers read
/// <c>[neutron_defaults]</c>; the <c>namespace</c> subnets driver reads the namespace's KuryrNetwork
/// (<c>status.subnetId</c>; throws <see cref="Handlers.ResourceNotReadyException"/> until it is there).
/// </summary>
public interface IPodNetworkResolver
{
    Task<PodNetworkInfo> ResolveAsync(Pod pod, CancellationToken cancellationToken);
}

/// <summary>What a pod's default VIF is made of.</summary>
public sealed record PodNetworkInfo(string ProjectId, string SubnetId, string NetworkId, SecurityGroupSet SecurityGroups);
