using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Ports;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Drivers.Macvlan;
using Kuryr.Pools.State;
using Kuryr.Pools.Tests.Drivers.Nested;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Tests.Drivers.Macvlan;

/// <summary>The nested test bed (REAL Neutron: worker subnet, pod subnet, VM ports, FaultProxy)
/// with nested-macvlan drivers on it.</summary>
public sealed class MacvlanBed : IAsyncLifetime
{
    public NestedTrunkBed Nested { get; } = new();

    public INeutronClient Admin => Nested.Admin;

    public Task InitializeAsync() => Nested.InitializeAsync();

    public Task DisposeAsync() => Nested.DisposeAsync();

    internal MacvlanPodVifDriver CreateDriver(int revUpdateAttempts = 3, IList<string>? workerSubnets = null) =>
        new(
            Nested.Neutron,
            Nested.Ownership,
            new SubnetCache(Nested.Neutron, Options.Create(new SubnetCachingOptions()), TimeProvider.System),
            Options.Create(new NeutronDefaultsOptions()),
            Options.Create(new KubernetesOptions()),
            Options.Create(new PodVifNestedOptions { WorkerNodesSubnets = workerSubnets ?? [Nested.WorkerSubnet.Id], RevUpdateAttempts = revUpdateAttempts }),
            NullLogger<MacvlanPodVifDriver>.Instance);

    public PoolTarget Target(NodeVm node, SecurityGroupSet? sgs = null) => Target(node.HostIp, sgs);

    public PoolTarget Target(string hostIp, SecurityGroupSet? sgs = null) =>
        new(new PoolKey(hostIp, Nested.Project.ProjectId, Nested.PodNetwork.Id), "noop", "node-m", Nested.PodSubnet.Id, sgs ?? SecurityGroupSet.Default);

    public async Task<IReadOnlyList<AllowedAddressPair>> PairsAsync(NodeVm node) => (await Admin.GetPortAsync(node.ParentPortId)).AllowedAddressPairs;

    /// <summary>Our ports on the pod network (tagged by this bed's cluster).</summary>
    public async Task<List<Port>> OurPodPortsAsync() => [.. (await Nested.PodPortsAsync()).Where(p => Nested.Ownership.IsOurs(p.Tags))];
}
