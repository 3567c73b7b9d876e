using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Subnets;
using Kuryr.Neutron.Trunks;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Drivers.Nested;
using Kuryr.Pools.Ownership;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuryr.Pools.Tests.Drivers.Nested;

/// <summary>A worker VM as Neutron sees it: its parent port (IP = pool host) and its trunk.</summary>
public sealed record NodeVm(string HostIp, string ParentPortId, string TrunkId);

/// <summary>
/// Class fixture on the REAL neutron-server and Redis: a fresh project with a worker-node subnet
/// (configured as <c>worker_nodes_subnets</c>), a pod subnet and an unrelated subnet; worker VMs
/// (an unbound parent port with a fixed IP + a trunk on it) made on demand; a <see cref="FaultProxy"/>
/// in front of Neutron that counts and fails the driver's requests.
/// </summary>
public sealed class NestedTrunkBed : IAsyncLifetime
{
    public NeutronTestProject Project { get; } = new();

    public RedisTestBed Redis { get; } = new();

    public FaultProxy Proxy { get; private set; } = null!;

    /// <summary>The driver's client: through <see cref="Proxy"/>.</summary>
    public INeutronClient Neutron { get; private set; } = null!;

    /// <summary>Direct to Neutron: for setting up and checking.</summary>
    public INeutronClient Admin => Project.Admin;

    public Network WorkerNetwork { get; private set; } = null!;

    public Subnet WorkerSubnet { get; private set; } = null!;

    public Network PodNetwork { get; private set; } = null!;

    public Subnet PodSubnet { get; private set; } = null!;

    /// <summary>Not a worker subnet: VMs there are not nodes (LP #1914631).</summary>
    public Subnet OtherSubnet { get; private set; } = null!;

    public ConnectionMultiplexer Mux { get; private set; } = null!;

    public IPortOwnership Ownership { get; } = new PortOwnership("nested-" + Guid.NewGuid().ToString("N")[..8], ["kuryr-tests"]);

    public async Task InitializeAsync()
    {
        await Project.InitializeAsync();
        await Redis.InitializeAsync();
        Mux = await ConnectionMultiplexer.ConnectAsync(Redis.Endpoint);
        Proxy = await FaultProxy.StartAsync(Project.Bed.HeadersEndpoint);
        Neutron = Project.CreateClient(Proxy.BaseAddress, ["admin"]);
        (WorkerNetwork, WorkerSubnet) = await Project.CreateNetworkAsync("10.66.0.0/24");
        (PodNetwork, PodSubnet) = await Project.CreateNetworkAsync("10.77.0.0/24");
        (_, OtherSubnet) = await Project.CreateNetworkAsync("10.55.0.0/24");
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Project.DisposeAsync();
        }
        finally
        {
            await Proxy.DisposeAsync();
            Mux.Dispose();
        }
    }

    /// <summary>A worker VM: an unbound parent port on <paramref name="subnet"/> (default: the worker subnet) and a trunk on it.</summary>
    public async Task<NodeVm> CreateNodeAsync(Subnet? subnet = null, bool withTrunk = true)
    {
        subnet ??= WorkerSubnet;
        var parent = await Admin.CreatePortAsync(new PortCreate
        {
            NetworkId = subnet.NetworkId,
            ProjectId = Project.ProjectId,
            FixedIps = [new FixedIpRequest { SubnetId = subnet.Id }],
            Name = "vm-parent",
        });
        var trunkId = "";
        if (withTrunk)
        {
            trunkId = (await Admin.CreateTrunkAsync(new TrunkCreate { PortId = parent.Id, ProjectId = Project.ProjectId })).Id;
        }

        return new NodeVm(parent.FixedIps[0].IpAddress!, parent.Id, trunkId);
    }

    /// <summary>A port made by hand (no tags), attached to <paramref name="trunkId"/> with <paramref name="vlan"/>.</summary>
    public async Task<Port> AttachHandMadePortAsync(string trunkId, int vlan, string deviceOwner = "compute:kuryr")
    {
        var port = await Admin.CreatePortAsync(new PortCreate
        {
            NetworkId = PodNetwork.Id,
            ProjectId = Project.ProjectId,
            FixedIps = [new FixedIpRequest { SubnetId = PodSubnet.Id }],
            DeviceOwner = deviceOwner,
        });
        await Admin.AddSubportsAsync(trunkId, [new SubPort(port.Id, vlan)]);
        return port;
    }

    public static RedisKeys NewKeys() => new(RedisTestBed.UniquePrefix("nested"));

    /// <summary>A driver like the controller's, on <paramref name="mux"/> (default: the shared connection).</summary>
    internal NestedPoolDriver CreateDriver(RedisKeys keys, IConnectionMultiplexer? mux = null, IList<string>? workerSubnets = null, TimeProvider? time = null, INeutronClient? neutron = null)
    {
        mux ??= Mux;
        time ??= TimeProvider.System;
        neutron ??= Neutron;
        var trunks = new NodeTrunks(neutron, Options.Create(new PodVifNestedOptions { WorkerNodesSubnets = workerSubnets ?? [WorkerSubnet.Id] }));
        return new NestedPoolDriver(
            neutron,
            new RedisVlanReservations(mux, keys, time),
            new RedisPoolStateStore(mux, keys, time),
            Ownership,
            trunks,
            new SubnetCache(neutron, Options.Create(new SubnetCachingOptions()), time),
            Options.Create(new NeutronDefaultsOptions()),
            Options.Create(new KubernetesOptions()),
            Options.Create(new VifPoolOptions()),
            NullLogger<NestedPoolDriver>.Instance,
            time);
    }

    internal IPoolStateStore Store(RedisKeys keys) => new RedisPoolStateStore(Mux, keys, TimeProvider.System);

    internal IVlanReservations Vlans(RedisKeys keys, TimeProvider? time = null) => new RedisVlanReservations(Mux, keys, time ?? TimeProvider.System);

    public PoolTarget Target(NodeVm node, SecurityGroupSet? sgs = null) =>
        new(new PoolKey(node.HostIp, Project.ProjectId, PodNetwork.Id), "nested", "node-x", PodSubnet.Id, sgs ?? SecurityGroupSet.Default);

    /// <summary>The ports of the project on the pod network.</summary>
    public Task<List<Port>> PodPortsAsync() => Project.ListPortsAsync(PodNetwork.Id);
}
