using System.Runtime.CompilerServices;
using Kuryr.Neutron;
using Kuryr.Neutron.Extensions;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Quotas;
using Kuryr.Neutron.Routers;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Neutron.SubnetPools;
using Kuryr.Neutron.Subnets;
using Kuryr.Neutron.Trunks;

namespace Kuryr.Pools.Tests.CrashSafety;

/// <summary>The real Neutron client, through a <see cref="CrashPlan"/>: every call is a step
/// <c>api.Method#n</c> (a driver's inner Neutron calls, e.g. the nested driver's bulk create and
/// add_subports); a dead process sends nothing more and never sees an answer.</summary>
internal sealed class CrashingNeutron(INeutronClient inner, CrashPlan plan) : INeutronClient
{
    public Task<Port> CreatePortAsync(PortCreate port, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.CreatePort", () => inner.CreatePortAsync(port, cancellationToken));

    public Task<IReadOnlyList<Port>> CreatePortsAsync(IReadOnlyList<PortCreate> ports, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.CreatePorts", () => inner.CreatePortsAsync(ports, cancellationToken));

    public Task<Port> GetPortAsync(string portId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.GetPort", () => inner.GetPortAsync(portId, cancellationToken));

    public IAsyncEnumerable<Port> ListPortsAsync(PortFilter? filter = null, CancellationToken cancellationToken = default) =>
        Enumerate("api.ListPorts", () => inner.ListPortsAsync(filter, cancellationToken), cancellationToken);

    public Task<Port> UpdatePortAsync(string portId, PortUpdate update, long? ifMatchRevision = null, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.UpdatePort", () => inner.UpdatePortAsync(portId, update, ifMatchRevision, cancellationToken));

    public Task<bool> DeletePortAsync(string portId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.DeletePort", () => inner.DeletePortAsync(portId, cancellationToken));

    public Task<IReadOnlyList<string>> SetPortTagsAsync(string portId, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.SetPortTags", () => inner.SetPortTagsAsync(portId, tags, cancellationToken));

    public Task<IReadOnlyList<string>> SetNetworkTagsAsync(string networkId, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.SetNetworkTags", () => inner.SetNetworkTagsAsync(networkId, tags, cancellationToken));

    public Task<IReadOnlyList<string>> SetSubnetTagsAsync(string subnetId, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.SetSubnetTags", () => inner.SetSubnetTagsAsync(subnetId, tags, cancellationToken));

    public Task<SubnetPool> CreateSubnetPoolAsync(SubnetPoolCreate subnetPool, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.CreateSubnetPool", () => inner.CreateSubnetPoolAsync(subnetPool, cancellationToken));

    public Task<SubnetPool> GetSubnetPoolAsync(string subnetPoolId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.GetSubnetPool", () => inner.GetSubnetPoolAsync(subnetPoolId, cancellationToken));

    public IAsyncEnumerable<SubnetPool> ListSubnetPoolsAsync(SubnetPoolFilter? filter = null, CancellationToken cancellationToken = default) =>
        Enumerate("api.ListSubnetPools", () => inner.ListSubnetPoolsAsync(filter, cancellationToken), cancellationToken);

    public Task<bool> DeleteSubnetPoolAsync(string subnetPoolId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.DeleteSubnetPool", () => inner.DeleteSubnetPoolAsync(subnetPoolId, cancellationToken));

    public Task<Trunk> CreateTrunkAsync(TrunkCreate trunk, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.CreateTrunk", () => inner.CreateTrunkAsync(trunk, cancellationToken));

    public Task<Trunk> GetTrunkAsync(string trunkId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.GetTrunk", () => inner.GetTrunkAsync(trunkId, cancellationToken));

    public IAsyncEnumerable<Trunk> ListTrunksAsync(TrunkFilter? filter = null, CancellationToken cancellationToken = default) =>
        Enumerate("api.ListTrunks", () => inner.ListTrunksAsync(filter, cancellationToken), cancellationToken);

    public Task<bool> DeleteTrunkAsync(string trunkId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.DeleteTrunk", () => inner.DeleteTrunkAsync(trunkId, cancellationToken));

    public Task<Trunk> AddSubportsAsync(string trunkId, IReadOnlyList<SubPort> subPorts, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.AddSubports", () => inner.AddSubportsAsync(trunkId, subPorts, cancellationToken));

    public Task<Trunk> RemoveSubportsAsync(string trunkId, IReadOnlyList<string> portIds, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.RemoveSubports", () => inner.RemoveSubportsAsync(trunkId, portIds, cancellationToken));

    public Task<IReadOnlyList<SubPort>> GetSubportsAsync(string trunkId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.GetSubports", () => inner.GetSubportsAsync(trunkId, cancellationToken));

    public Task<Network> CreateNetworkAsync(NetworkCreate network, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.CreateNetwork", () => inner.CreateNetworkAsync(network, cancellationToken));

    public Task<Network> GetNetworkAsync(string networkId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.GetNetwork", () => inner.GetNetworkAsync(networkId, cancellationToken));

    public IAsyncEnumerable<Network> ListNetworksAsync(NetworkFilter? filter = null, CancellationToken cancellationToken = default) =>
        Enumerate("api.ListNetworks", () => inner.ListNetworksAsync(filter, cancellationToken), cancellationToken);

    public Task<bool> DeleteNetworkAsync(string networkId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.DeleteNetwork", () => inner.DeleteNetworkAsync(networkId, cancellationToken));

    public Task<Subnet> CreateSubnetAsync(SubnetCreate subnet, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.CreateSubnet", () => inner.CreateSubnetAsync(subnet, cancellationToken));

    public Task<Subnet> GetSubnetAsync(string subnetId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.GetSubnet", () => inner.GetSubnetAsync(subnetId, cancellationToken));

    public IAsyncEnumerable<Subnet> ListSubnetsAsync(SubnetFilter? filter = null, CancellationToken cancellationToken = default) =>
        Enumerate("api.ListSubnets", () => inner.ListSubnetsAsync(filter, cancellationToken), cancellationToken);

    public Task<bool> DeleteSubnetAsync(string subnetId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.DeleteSubnet", () => inner.DeleteSubnetAsync(subnetId, cancellationToken));

    public Task<SecurityGroup> CreateSecurityGroupAsync(SecurityGroupCreate securityGroup, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.CreateSecurityGroup", () => inner.CreateSecurityGroupAsync(securityGroup, cancellationToken));

    public Task<SecurityGroup> GetSecurityGroupAsync(string securityGroupId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.GetSecurityGroup", () => inner.GetSecurityGroupAsync(securityGroupId, cancellationToken));

    public IAsyncEnumerable<SecurityGroup> ListSecurityGroupsAsync(SecurityGroupFilter? filter = null, CancellationToken cancellationToken = default) =>
        Enumerate("api.ListSecurityGroups", () => inner.ListSecurityGroupsAsync(filter, cancellationToken), cancellationToken);

    public Task<bool> DeleteSecurityGroupAsync(string securityGroupId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.DeleteSecurityGroup", () => inner.DeleteSecurityGroupAsync(securityGroupId, cancellationToken));

    public Task<SecurityGroupRule> CreateSecurityGroupRuleAsync(SecurityGroupRuleCreate rule, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.CreateSecurityGroupRule", () => inner.CreateSecurityGroupRuleAsync(rule, cancellationToken));

    public Task<bool> DeleteSecurityGroupRuleAsync(string ruleId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.DeleteSecurityGroupRule", () => inner.DeleteSecurityGroupRuleAsync(ruleId, cancellationToken));

    public Task<Router> CreateRouterAsync(RouterCreate router, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.CreateRouter", () => inner.CreateRouterAsync(router, cancellationToken));

    public Task<Router> GetRouterAsync(string routerId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.GetRouter", () => inner.GetRouterAsync(routerId, cancellationToken));

    public IAsyncEnumerable<Router> ListRoutersAsync(RouterFilter? filter = null, CancellationToken cancellationToken = default) =>
        Enumerate("api.ListRouters", () => inner.ListRoutersAsync(filter, cancellationToken), cancellationToken);

    public Task<bool> DeleteRouterAsync(string routerId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.DeleteRouter", () => inner.DeleteRouterAsync(routerId, cancellationToken));

    public Task<RouterInterface> AddRouterInterfaceAsync(string routerId, string subnetId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.AddRouterInterface", () => inner.AddRouterInterfaceAsync(routerId, subnetId, cancellationToken));

    public Task<RouterInterface> RemoveRouterInterfaceAsync(string routerId, string subnetId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.RemoveRouterInterface", () => inner.RemoveRouterInterfaceAsync(routerId, subnetId, cancellationToken));

    public Task<IReadOnlyList<Extension>> ListExtensionsAsync(CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.ListExtensions", () => inner.ListExtensionsAsync(cancellationToken));

    public Task<bool> HasExtensionAsync(string extensionAlias, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.HasExtension", () => inner.HasExtensionAsync(extensionAlias, cancellationToken));

    public Task<QuotaDetails> GetQuotaDetailsAsync(string projectId, CancellationToken cancellationToken = default) =>
        plan.RunAsync("api.GetQuotaDetails", () => inner.GetQuotaDetailsAsync(projectId, cancellationToken));

    private async IAsyncEnumerable<T> Enumerate<T>(string name, Func<IAsyncEnumerable<T>> list, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        plan.Step(name);
        await foreach (var item in list().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            plan.Returned();
            yield return item;
        }
    }
}
