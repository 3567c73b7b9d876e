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

    /// <summary>How many port ids one listing asks for (keeps the query string short).</summary>
    public const int ListChunk = 50;

    /// <summary>The ports with these ids, listed <see cref="ListChunk"/> ids at a time; ids Neutron does not
    /// know are simply absent.</summary>
    public static async Task<Dictionary<string, Port>> ListByIdsAsync(INeutronClient neutron, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(neutron);
        ArgumentNullException.ThrowIfNull(ids);
        var ports = new Dictionary<string, Port>(StringComparer.Ordinal);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(ListChunk))
        {
            await foreach (var p in neutron.ListPortsAsync(new PortFilter { Ids = chunk }, cancellationToken).ConfigureAwait(false))
            {
                ports[p.Id] = p;
            }
        }

        return ports;
    }
}
