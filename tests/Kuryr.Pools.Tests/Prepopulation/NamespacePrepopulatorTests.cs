using System.Text.Json.Nodes;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Prepopulation;
using Kuryr.Pools.State;
using Kuryr.Pools.Tests.Recovery;
using Kuryr.Testing.Neutron;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Tests.Prepopulation;

/// <summary>
/// Namespace prepopulation against the real kube-apiserver (Node and KuryrNetwork objects), the
/// real pool manager over real Redis and the real neutron-server. The test's two nodes carry a
/// <c>pod_vif</c> label value of their own, mapped to the neutron pool driver through
/// <c>vif_pool_mapping</c>, so nodes other tests create on the shared API server are skipped.
/// </summary>
[Collection(NeutronTestProject.Collection)]
public sealed class NamespacePrepopulatorTests(RecoveryBed bed) : IClassFixture<RecoveryBed>
{
    private readonly string _podVif = "prepop-" + Guid.NewGuid().ToString("N")[..8];

    private VifPoolOptions Pools(int batch, int min) => new()
    {
        PortsPoolBatch = batch,
        PortsPoolMin = min,
        VifPoolMapping = new Dictionary<string, string> { [_podVif] = KuryrDrivers.NeutronPool },
    };

    private NamespacePrepopulator NewPrepopulator(IVifPool pool, IPoolDriver driver, VifPoolOptions options) =>
        new(bed.KubeClient, pool, [driver],
            Options.Create(new KubernetesOptions { VifPoolDriver = KuryrDrivers.NeutronPool, PodVifDriver = KuryrDrivers.NeutronVif }),
            Options.Create(options), NullLogger<NamespacePrepopulator>.Instance);

    private async Task<IAsyncDisposable> CreateNodesAsync()
    {
        foreach (var host in bed.Hosts)
        {
            await bed.KubeClient.CreateAsync(KubernetesResources.Nodes, new Node
            {
                Metadata = new ObjectMeta { Name = host, Labels = new Dictionary<string, string> { ["pod_vif"] = _podVif } },
            });
        }

        return new Cleanup(async () =>
        {
            foreach (var host in bed.Hosts)
            {
                await bed.KubeClient.DeleteAsync(KubernetesResources.Nodes, null, host);
            }
        });
    }

    private Task<KuryrNetwork> CreateKuryrNetworkAsync(string name, string? subnetId = null) =>
        bed.KubeClient.CreateAsync(KubernetesResources.KuryrNetworks, new KuryrNetwork
        {
            Metadata = new ObjectMeta { Name = name, Namespace = bed.Namespace },
            Spec = new KuryrNetworkSpec { NsName = bed.Namespace, ProjectId = bed.Project.ProjectId, NsLabels = [] },
            Status = new KuryrNetworkStatus { NetId = bed.Network.Id, SubnetId = subnetId ?? bed.Subnet.Id, Populated = false },
        });

    private Task<KuryrNetwork> ReadAsync(string name) => bed.KubeClient.GetAsync(KubernetesResources.KuryrNetworks, bed.Namespace, name);

    [Fact]
    public void Ports_per_pool_is_Kuryrs_int_of_max_half_batch_and_min()
    {
        Assert.Equal(3, NamespacePrepopulator.PortsPerPool(batch: 7, min: 1)); // int(3.5)
        Assert.Equal(5, NamespacePrepopulator.PortsPerPool(batch: 10, min: 5));
        Assert.Equal(4, NamespacePrepopulator.PortsPerPool(batch: 2, min: 4));
        Assert.Equal(0, NamespacePrepopulator.PortsPerPool(batch: 1, min: 0)); // int(0.5)
    }

    [Fact]
    public async Task Populated_true_is_written_before_any_port_exists_then_each_nodes_pool_gets_its_ports()
    {
        await using var scope = bed.NewScope("prepop");
        await using var nodes = await CreateNodesAsync();
        var network = await CreateKuryrNetworkAsync("prepop-ok");
        var options = Pools(batch: 7, min: 1); // (int)max(3.5, 1) = 3 ports per node
        var seenAtFirstCreate = new List<(bool? Populated, int TaggedPorts)>();
        var observing = new ObservingDriver(scope.Driver, async () =>
            seenAtFirstCreate.Add(((await ReadAsync("prepop-ok")).Status?.Populated, (await scope.TaggedPortsAsync()).Count)));
        await using var manager = scope.NewManager(options, driver: observing);

        var result = await NewPrepopulator(manager, observing, options).PopulateAsync(network);

        Assert.Equal(PrepopulationOutcome.Populated, result.Outcome);
        Assert.Equal(3, result.PortsPerPool);
        Assert.Equal((true, 0), seenAtFirstCreate[0]);
        Assert.Equal(2, seenAtFirstCreate.Count);
        Assert.Equal(bed.Hosts.Order(), result.Pools.Select(p => p.Pool.Host).Order());
        Assert.All(result.Pools, p => Assert.Equal(3, p.Added));
        var tagged = await scope.TaggedPortsAsync();
        foreach (var host in bed.Hosts)
        {
            Assert.Equal(3, tagged.Count(p => p.BindingHostId == host && p.NetworkId == bed.Network.Id));
            var pool = new PoolKey(host, bed.Project.ProjectId, bed.Network.Id);
            Assert.Equal(3, (await scope.Store.ReadAsync(pool)).Count(PortState.Available));
        }

        Assert.Equal(6, tagged.Count);
        Assert.True((await ReadAsync("prepop-ok")).Status?.Populated);

        // Done once: the next event for the same KuryrNetwork changes nothing.
        var again = await NewPrepopulator(manager, observing, options).PopulateAsync(await ReadAsync("prepop-ok"));
        Assert.Equal(PrepopulationOutcome.AlreadyPopulated, again.Outcome);
        Assert.Equal(6, (await scope.TaggedPortsAsync()).Count);
    }

    [Fact]
    public async Task A_failed_population_sets_populated_back_to_false_and_rethrows()
    {
        await using var scope = bed.NewScope("prepop-fail");
        await using var nodes = await CreateNodesAsync();
        // A subnet Neutron does not know: the real bulk create fails.
        var network = await CreateKuryrNetworkAsync("prepop-fail", subnetId: Guid.NewGuid().ToString());
        var options = Pools(batch: 2, min: 1);
        var seenAtCreate = new List<bool?>();
        var observing = new ObservingDriver(scope.Driver, async () => seenAtCreate.Add((await ReadAsync("prepop-fail")).Status?.Populated));
        await using var manager = scope.NewManager(options, driver: observing);

        await Assert.ThrowsAnyAsync<Exception>(() => NewPrepopulator(manager, observing, options).PopulateAsync(network));

        Assert.Equal<bool?>([true], seenAtCreate);
        Assert.False((await ReadAsync("prepop-fail")).Status?.Populated);
        Assert.Empty(await scope.TaggedPortsAsync());
    }

    [Fact]
    public async Task A_concurrent_status_write_is_kept_and_a_concurrent_populated_mark_stops_it()
    {
        await using var scope = bed.NewScope("prepop-race");
        await using var nodes = await CreateNodesAsync();
        var options = Pools(batch: 2, min: 1);
        await using var manager = scope.NewManager(options);

        // (1) The kuryrnetwork handler writes status.routerId after we read the object: our mark must not erase it.
        var stale = await CreateKuryrNetworkAsync("prepop-race");
        await bed.KubeClient.PatchAsync(KubernetesResources.KuryrNetworks, bed.Namespace, "prepop-race",
            KubernetesPatch.Json([new JsonObject { ["op"] = "add", ["path"] = "/status/routerId", ["value"] = "router-1" }]));

        var result = await NewPrepopulator(manager, scope.Driver, options).PopulateAsync(stale);

        Assert.Equal(PrepopulationOutcome.Populated, result.Outcome);
        var after = await ReadAsync("prepop-race");
        Assert.True(after.Status?.Populated);
        Assert.Equal("router-1", after.Status?.RouterId);
        Assert.Equal(2, (await scope.TaggedPortsAsync()).Count);

        // (2) Another replica marked it populated after we read it: nothing is populated twice.
        var stale2 = await CreateKuryrNetworkAsync("prepop-race2");
        await bed.KubeClient.PatchAsync(KubernetesResources.KuryrNetworks, bed.Namespace, "prepop-race2",
            KubernetesPatch.Json([new JsonObject { ["op"] = "replace", ["path"] = "/status/populated", ["value"] = true }]));

        var second = await NewPrepopulator(manager, scope.Driver, options).PopulateAsync(stale2);

        Assert.Equal(PrepopulationOutcome.AlreadyPopulated, second.Outcome);
        Assert.Equal(2, (await scope.TaggedPortsAsync()).Count);
    }

    /// <summary>The real driver; runs <paramref name="beforeCreate"/> (an observation of the real API server) before each bulk create.</summary>
    private sealed class ObservingDriver(IPoolDriver inner, Func<Task> beforeCreate) : IPoolDriver
    {
        public string Name => inner.Name;

        public string PodVifDriver => inner.PodVifDriver;

        public bool Pooled => inner.Pooled;

        public PoolKey PoolFor(PodVifRequest request) => inner.PoolFor(request);

        public async Task<IReadOnlyList<PooledPort>> CreatePortsAsync(PoolTarget target, int count, CancellationToken cancellationToken)
        {
            await beforeCreate();
            return await inner.CreatePortsAsync(target, count, cancellationToken);
        }

        public Task UpdateSecurityGroupsAsync(string portId, SecurityGroupSet securityGroups, CancellationToken cancellationToken) =>
            inner.UpdateSecurityGroupsAsync(portId, securityGroups, cancellationToken);

        public Task DeletePortsAsync(PoolKey pool, IReadOnlyList<string> portIds, CancellationToken cancellationToken) =>
            inner.DeletePortsAsync(pool, portIds, cancellationToken);

        public Task<IReadOnlyList<DiscoveredPort>> DiscoverAsync(CancellationToken cancellationToken) => inner.DiscoverAsync(cancellationToken);
    }

    private sealed class Cleanup(Func<Task> dispose) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await dispose();
    }
}
