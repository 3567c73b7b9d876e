using Kuryr.Neutron;
using Kuryr.Neutron.Ports;
using Kuryr.Pools.State;

namespace Kuryr.Pools.Drivers.Common;

/// <summary>What every pool driver's Neutron ports share: Kuryr's names and the SG update.</summary>
public static class PoolPorts
{
    /// <summary>kuryr-lib's <c>compute:kuryr</c> device owner of pool ports.</summary>
    public const string KuryrDeviceOwner = "compute:kuryr";

    /// <summary>Name of pool ports with <c>[kubernetes] port_debug</c> (Kuryr's <c>KURYR_PORT_NAME</c>).</summary>
    public const string PoolPortName = "kuryr-pool-port";

    /// <summary>Sets a port's security groups; refuses the empty set, since <c>security_groups: []</c>
    /// would REMOVE every group (callers resolve "the project's default" to its id first).</summary>
    public static async Task UpdateSecurityGroupsAsync(INeutronClient neutron, string portId, SecurityGroupSet securityGroups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(neutron);
        ArgumentException.ThrowIfNullOrWhiteSpace(portId);
        ArgumentNullException.ThrowIfNull(securityGroups);
        if (securityGroups.Ids.Count == 0)
        {
            throw new ArgumentException($"port {portId}: refusing to set an empty security group set (it would remove every group); resolve the project's default group first", nameof(securityGroups));
        }

        await neutron.UpdatePortAsync(portId, new PortUpdate { SecurityGroups = securityGroups.Ids }, null, cancellationToken).ConfigureAwait(false);
    }
}
