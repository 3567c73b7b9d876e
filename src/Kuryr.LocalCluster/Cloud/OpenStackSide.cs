using Kuryr.Neutron;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Neutron.Subnets;
using Kuryr.Neutron.Trunks;
using Microsoft.Extensions.Logging;

namespace Kuryr.LocalCluster.Cloud;

/// <summary>What the OpenStack side consists of once created.</summary>
public sealed record OpenStackResources(string ProjectId, Network Network, Subnet Subnet, string SecurityGroupId,
    Port VmPort, string TrunkId)
{
    public string VmIp => VmPort.FixedIps[0].IpAddress!;
}

/// <summary>
/// The local cluster's OpenStack side, through Neutron with Keystone: a pod network and subnet, a
/// security group open between pods, the nested node's VM port and a trunk with it as parent. Every
/// name starts with <see cref="Prefix"/>; <see cref="CleanAsync"/> removes them (a leftover of an
/// earlier run included).
/// </summary>
public sealed partial class OpenStackSide(INeutronClient neutron, ILogger<OpenStackSide> logger)
{
    public const string Prefix = "kuryr-local-";
    public const string NetworkName = Prefix + "pods";
    public const string SecurityGroupName = Prefix + "pods";
    public const string VmPortName = Prefix + "vm-1";
    public const string TrunkName = Prefix + "vm-1-trunk";
    public const string Cidr = "10.231.0.0/22";

    public async Task<OpenStackResources> CreateAsync(CancellationToken cancellationToken)
    {
        var network = await neutron.CreateNetworkAsync(new NetworkCreate { Name = NetworkName }, cancellationToken).ConfigureAwait(false);
        var projectId = network.ProjectId ?? throw new InvalidOperationException("Neutron returned a network without project_id");
        var subnet = await neutron.CreateSubnetAsync(new SubnetCreate
        {
            NetworkId = network.Id,
            Cidr = Cidr,
            Name = Prefix + "pods-subnet",
            GatewayIp = "10.231.0.1",
            EnableDhcp = false,
        }, cancellationToken).ConfigureAwait(false);
        var sg = await neutron.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = SecurityGroupName, Description = "kuryr-local-cluster: pods reach each other" },
            cancellationToken).ConfigureAwait(false);
        foreach (var protocol in new[] { "icmp", null })
        {
            await neutron.CreateSecurityGroupRuleAsync(new SecurityGroupRuleCreate
            {
                SecurityGroupId = sg.Id,
                Direction = "ingress",
                Ethertype = "IPv4",
                Protocol = protocol,
                RemoteIpPrefix = Cidr,
            }, cancellationToken).ConfigureAwait(false);
        }

        var vmPort = await neutron.CreatePortAsync(new PortCreate
        {
            NetworkId = network.Id,
            Name = VmPortName,
            FixedIps = [new FixedIpRequest { SubnetId = subnet.Id }],
            SecurityGroups = [sg.Id],
        }, cancellationToken).ConfigureAwait(false);
        var trunk = await neutron.CreateTrunkAsync(new TrunkCreate { PortId = vmPort.Id, Name = TrunkName }, cancellationToken).ConfigureAwait(false);
        Log.Created(logger, network.Id, subnet.Id, vmPort.Id, trunk.Id);
        return new OpenStackResources(projectId, network, subnet, sg.Id, vmPort, trunk.Id);
    }

    /// <summary>The ports on the network other than the VM port (pod ports: pools, assigned, leaked).</summary>
    public async Task<List<Port>> PodPortsAsync(string networkId, CancellationToken cancellationToken)
    {
        var ports = new List<Port>();
        await foreach (var p in neutron.ListPortsAsync(new PortFilter { NetworkId = networkId }, cancellationToken).ConfigureAwait(false))
        {
            if (p.Name != VmPortName)
            {
                ports.Add(p);
            }
        }

        return ports;
    }

    /// <summary>
    /// Deletes every <see cref="Prefix"/> resource: trunks (subports first), the ports on the network,
    /// subnets, the network, the security group. Returns how many pod ports were still there.
    /// </summary>
    public async Task<int> CleanAsync(CancellationToken cancellationToken)
    {
        var podPorts = 0;
        await foreach (var trunk in neutron.ListTrunksAsync(new TrunkFilter { Name = TrunkName }, cancellationToken).ConfigureAwait(false))
        {
            var subports = await neutron.GetSubportsAsync(trunk.Id, cancellationToken).ConfigureAwait(false);
            if (subports.Count > 0)
            {
                await neutron.RemoveSubportsAsync(trunk.Id, [.. subports.Select(s => s.PortId)], cancellationToken).ConfigureAwait(false);
            }

            await neutron.DeleteTrunkAsync(trunk.Id, cancellationToken).ConfigureAwait(false);
        }

        var networks = new List<Network>();
        await foreach (var n in neutron.ListNetworksAsync(new NetworkFilter { Name = NetworkName }, cancellationToken).ConfigureAwait(false))
        {
            networks.Add(n);
        }

        foreach (var network in networks)
        {
            var ports = new List<Port>();
            await foreach (var p in neutron.ListPortsAsync(new PortFilter { NetworkId = network.Id }, cancellationToken).ConfigureAwait(false))
            {
                ports.Add(p);
            }

            foreach (var p in ports)
            {
                if (p.Name != VmPortName)
                {
                    podPorts++;
                }

                await neutron.DeletePortAsync(p.Id, cancellationToken).ConfigureAwait(false);
            }

            await foreach (var s in neutron.ListSubnetsAsync(new SubnetFilter { NetworkId = network.Id }, cancellationToken).ConfigureAwait(false))
            {
                await neutron.DeleteSubnetAsync(s.Id, cancellationToken).ConfigureAwait(false);
            }

            await neutron.DeleteNetworkAsync(network.Id, cancellationToken).ConfigureAwait(false);
            Log.Deleted(logger, network.Id, ports.Count);
        }

        var groups = new List<SecurityGroup>();
        await foreach (var sg in neutron.ListSecurityGroupsAsync(new SecurityGroupFilter { Name = SecurityGroupName }, cancellationToken).ConfigureAwait(false))
        {
            groups.Add(sg);
        }

        foreach (var sg in groups)
        {
            await neutron.DeleteSecurityGroupAsync(sg.Id, cancellationToken).ConfigureAwait(false);
        }

        return podPorts;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7310, Level = LogLevel.Information, Message = "OpenStack side created: network {Network}, subnet {Subnet}, VM port {Port}, trunk {Trunk}")]
        public static partial void Created(ILogger logger, string network, string subnet, string port, string trunk);

        [LoggerMessage(EventId = 7311, Level = LogLevel.Information, Message = "Network {Network} deleted with its {Ports} ports")]
        public static partial void Deleted(ILogger logger, string network, int ports);
    }
}
