using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Neutron.Subnets;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Kuryr.Testing.TestBed;
using Kuryr.Testing.Time;
using Kuryr.Vifs;
using Kuryr.Vifs.Model;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Kuryr.Pools.Tests.Manager;

/// <summary>The manager and the neutron/noop drivers on the REAL Redis and neutron-server.</summary>
[Collection(Collection)]
public sealed class VifPoolManagerTests(RedisTestBed redis) : IClassFixture<RedisTestBed>, IAsyncLifetime
{
    public const string Collection = "pools-neutron";

    private readonly NeutronTestProject _project = new();
    private readonly string _host = "knp-node-" + Guid.NewGuid().ToString("N")[..8];
    private Network _network = null!;
    private Subnet _subnet = null!;

    public async Task InitializeAsync()
    {
        await _project.InitializeAsync();
        await _project.Bed.RegisterOvsAgentAsync(_host);
        (_network, _subnet) = await _project.CreateNetworkAsync("10.78.0.0/24");
    }

    public Task DisposeAsync() => _project.DisposeAsync();

    private Task<PoolsHarness> StartAsync(int min, int batch, int max = 0, string driver = "neutron") =>
        PoolsHarness.StartAsync(_project, redis, RedisTestBed.UniquePrefix("mgr"), o =>
        {
            o.PortsPoolMin = min;
            o.PortsPoolBatch = batch;
            o.PortsPoolMax = max;
        }, driver);

    private PodVifRequest Request(string pod, SecurityGroupSet? groups = null) =>
        new("ns1", pod, Guid.NewGuid().ToString(), _host, null, "eth0", _project.ProjectId, _subnet.Id, _network.Id, groups ?? SecurityGroupSet.Default);

    private static bool IsBulkPost(ProxiedRequest r) => r.Method == "POST" && r.Path.EndsWith("/ports", StringComparison.Ordinal);

    [Fact]
    public async Task First_request_creates_max_of_batch_and_min_ports_in_one_bulk_post_bound_and_tagged()
    {
        await using var h = await StartAsync(min: 3, batch: 5);

        var assignment = await h.Pool.RequestVifAsync(Request("a"));
        await h.Manager.RefillsAsync();

        Assert.Equal(1, h.Proxy.Count(IsBulkPost));
        var ports = await _project.ListPortsAsync(_network.Id);
        Assert.Equal(5, ports.Count);
        Assert.All(ports, p =>
        {
            Assert.Equal("compute:kuryr", p.DeviceOwner);
            Assert.Equal(_host, p.BindingHostId);
            Assert.Contains("kuryr.node.cluster=pools-tests", p.Tags);
        });
        var port = ports.Single(p => p.Id == assignment.PortId);
        var vif = Assert.IsType<VifOpenVSwitch>(VifJson.Deserialize(assignment.VifJson));
        Assert.Equal(port.Id, vif.Id);
        Assert.Equal(port.MacAddress, vif.Address);
        Assert.Equal(VifNames.Tap(port.Id), vif.VifName);
        Assert.Equal(port.FixedIps[0].IpAddress, vif.Network!.Subnets!.Items[0].Ips!.Items[0].Address);
        Assert.Equal("10.78.0.0/24", vif.Network.Subnets.Items[0].Cidr);
        var snapshot = await h.Store.ReadAsync(assignment.Pool);
        Assert.Equal(4, snapshot.Count(PortState.Available));
        Assert.Equal(PortState.Assigned, snapshot.States[assignment.PortId]);
    }

    [Fact]
    public async Task Bug_a_controller_killed_mid_population_blocked_its_pool_for_populate_lock_timeout()
    {
        // The lock was taken with TTL populate_lock_timeout (420 s): a controller SIGKILLed during a bulk
        // create left it behind and the next leader could not refill that pool for 7 minutes. Now the
        // TTL is 15 s, renewed every 5 s while the population runs.
        await using var h = await StartAsync(min: 1, batch: 2);
        var release = new TaskCompletionSource();
        h.Proxy.InjectFault(IsBulkPost, ProxyFault.WaitFor(release.Task));
        using var redisConnection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        var db = redisConnection.GetDatabase();
        var prefix = h.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RedisOptions>>().Value.KeyPrefix;
        var lockKey = $"{prefix}:pool:{{{_host}/{_project.ProjectId}/{_network.Id}}}:lock";

        var request = h.Pool.RequestVifAsync(Request("a"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await db.KeyExistsAsync(lockKey))
        {
            Assert.True(DateTime.UtcNow < deadline, "the population lock was never taken");
            await Task.Delay(50);
        }

        var ttl = await db.KeyTimeToLiveAsync(lockKey);
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(7));
        // Without renewal 8 s would be left; renewed at 5 s: more than 12 s.
        Assert.InRange((await db.KeyTimeToLiveAsync(lockKey))!.Value, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(15));

        release.SetResult();
        await request;
        Assert.False(await db.KeyExistsAsync(lockKey));
    }

    [Fact]
    public async Task A_take_that_leaves_the_pool_below_min_refills_it_in_the_background()
    {
        await using var h = await StartAsync(min: 3, batch: 2);

        var assignment = await h.Pool.RequestVifAsync(Request("a"));
        await h.Manager.RefillsAsync();

        // First population: max(2, 3 - 0) = 3; after the take 2 < 3, refill max(2, 3 - 2) = 2.
        Assert.Equal(2, h.Proxy.Count(IsBulkPost));
        Assert.Equal(5, (await _project.ListPortsAsync(_network.Id)).Count);
        Assert.Equal(4, (await h.Store.ReadAsync(assignment.Pool)).Count(PortState.Available));
    }

    [Fact]
    public async Task Release_makes_no_Neutron_call_and_recycling_above_max_deletes_the_ports_in_Neutron()
    {
        await using var h = await StartAsync(min: 1, batch: 1, max: 1);
        var a = await h.Pool.RequestVifAsync(Request("a"));
        await h.Manager.RefillsAsync();
        var b = await h.Pool.RequestVifAsync(Request("b"));
        await h.Manager.RefillsAsync();
        Assert.Equal(3, (await _project.ListPortsAsync(_network.Id)).Count);
        h.Proxy.ResetCounts();

        await h.Pool.ReleaseVifAsync(new VifRelease(a.Pool, a.Driver, a.PortId, null));
        await h.Pool.ReleaseVifAsync(new VifRelease(b.Pool, b.Driver, b.PortId, null));

        Assert.Equal(0, h.Proxy.Count(_ => true));
        var (recycled, deleted) = await h.Manager.RecycleOnceAsync(CancellationToken.None);
        Assert.Equal((0, 2), (recycled, deleted));
        var left = await _project.ListPortsAsync(_network.Id);
        Assert.DoesNotContain(left, p => p.Id == a.PortId || p.Id == b.PortId);
        Assert.Single(left);
        Assert.Equal(1, h.Proxy.Count(r => r.Method == "GET" && r.Path.EndsWith("/ports", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Recycling_returns_a_port_to_the_bucket_of_its_current_security_groups()
    {
        await using var h = await StartAsync(min: 1, batch: 1);
        var sg = await _project.Admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = "knp-sg", ProjectId = _project.ProjectId });
        var a = await h.Pool.RequestVifAsync(Request("a"));
        await h.Manager.RefillsAsync();
        await h.Pool.ReleaseVifAsync(new VifRelease(a.Pool, a.Driver, a.PortId, null));
        await _project.Admin.UpdatePortAsync(a.PortId, new PortUpdate { SecurityGroups = [sg.Id] });

        var (recycled, _) = await h.Manager.RecycleOnceAsync(CancellationToken.None);

        Assert.Equal(1, recycled);
        var snapshot = await h.Store.ReadAsync(a.Pool);
        Assert.Equal([a.PortId], snapshot.AvailableByBucket[sg.Id]);
    }

    [Fact]
    public async Task A_take_with_other_security_groups_updates_the_port_and_a_failed_update_gives_it_back()
    {
        await using var h = await StartAsync(min: 0, batch: 2);
        var sg = await _project.Admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = "knp-sg2", ProjectId = _project.ProjectId });
        var groups = new SecurityGroupSet([sg.Id]);
        var pool = new PoolKey(_host, _project.ProjectId, _network.Id);
        Assert.Equal(2, await h.Pool.PopulateAsync(new PoolTarget(pool, "neutron", _host, _subnet.Id, SecurityGroupSet.Default), 2));

        h.Proxy.InjectFault("PUT", "/ports/", ProxyFault.Status(500, "{\"NeutronError\":{\"type\":\"Boom\",\"message\":\"injected\",\"detail\":\"\"}}"), times: 10);
        await Assert.ThrowsAnyAsync<Exception>(() => h.Pool.RequestVifAsync(Request("fails", groups)));
        Assert.Equal(2, (await h.Store.ReadAsync(pool)).Count(PortState.Available));
        h.Proxy.ClearFaults();

        var ok = await h.Pool.RequestVifAsync(Request("ok", groups));

        var port = await _project.Admin.GetPortAsync(ok.PortId);
        Assert.Equal([sg.Id], port.SecurityGroups);
        Assert.Equal(1, (await h.Store.ReadAsync(pool)).Count(PortState.Available));
    }

    [Fact]
    public async Task Bug_empty_security_group_set_is_ambiguous_a_default_request_never_removes_every_group()
    {
        // Before: a default ('') request populated bucket '', ports recycled into [default-id] (what
        // Neutron reports), and a later '' request took them with a swap sending security_groups: [],
        // which removed every group from the port.
        await using var h = await StartAsync(min: 0, batch: 1);
        var defaultId = await DefaultSecurityGroupIdAsync();
        var sg = await _project.Admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = "knp-sg3", ProjectId = _project.ProjectId });

        var first = await h.Pool.RequestVifAsync(Request("a"));
        Assert.Equal([defaultId], (await _project.Admin.GetPortAsync(first.PortId)).SecurityGroups);
        await h.Pool.ReleaseVifAsync(new VifRelease(first.Pool, first.Driver, first.PortId, null));
        await h.Manager.RecycleOnceAsync(CancellationToken.None);
        Assert.Equal([defaultId], (await h.Store.ReadAsync(first.Pool)).AvailableByBucket.Keys);

        // The same port goes to another SG set and comes back to a default request by a swap.
        var other = await h.Pool.RequestVifAsync(Request("b", new SecurityGroupSet([sg.Id])));
        Assert.Equal(first.PortId, other.PortId);
        await h.Pool.ReleaseVifAsync(new VifRelease(other.Pool, other.Driver, other.PortId, null));
        await h.Manager.RecycleOnceAsync(CancellationToken.None);
        h.Proxy.ResetCounts();

        var back = await h.Pool.RequestVifAsync(Request("c"));

        Assert.Equal(first.PortId, back.PortId);
        Assert.Equal(1, h.Proxy.Count(r => r.Method == "PUT"));
        Assert.Equal([defaultId], (await _project.Admin.GetPortAsync(back.PortId)).SecurityGroups);
    }

    private async Task<string> DefaultSecurityGroupIdAsync()
    {
        await foreach (var group in _project.Admin.ListSecurityGroupsAsync(new SecurityGroupFilter { Name = "default", ProjectId = _project.ProjectId }))
        {
            return group.Id;
        }

        throw new InvalidOperationException("the test project has no default security group");
    }

    [Fact]
    public async Task Bug_free_pool_under_multi_pool_guessed_the_driver_from_the_host_a_node_named_by_its_IP_is_freed_by_neutron()
    {
        // A bare-metal node named by its IP: the old guess (IP host → nested) sent its pool to the
        // nested driver. The driver recorded at population is used instead.
        var ipHost = "10.251." + Random.Shared.Next(1, 250) + "." + Random.Shared.Next(1, 250);
        await _project.Bed.RegisterOvsAgentAsync(ipHost);
        await using var h = await MultiPoolAsync();
        var pool = new PoolKey(ipHost, _project.ProjectId, _network.Id);
        Assert.Equal(2, await h.Pool.PopulateAsync(new PoolTarget(pool, "neutron", ipHost, _subnet.Id, SecurityGroupSet.Default), 2));
        Assert.Equal("neutron", await h.Services.GetRequiredService<IPoolMetadata>().GetDriverAsync(pool));
        var created = (await h.Store.ReadAsync(pool)).States.Keys.ToList();
        h.Proxy.ResetCounts();

        var freed = await h.Pool.FreePoolAsync(pool);

        Assert.Equal(2, freed);
        // The nested driver would first look for the trunk parent port with that IP in
        // worker_nodes_subnets (a GET); the neutron driver only deletes.
        Assert.Equal(0, h.Proxy.Count(r => r.Method != "DELETE"));
        Assert.Equal(2, h.Proxy.Count(r => r.Method == "DELETE"));
        var left = (await _project.ListPortsAsync(_network.Id)).Select(p => p.Id);
        Assert.DoesNotContain(left, created.Contains);
        Assert.Empty((await h.Store.ReadAsync(pool)).States);
        Assert.DoesNotContain(pool, await h.Store.ListPoolsAsync());
        Assert.Null(await h.Services.GetRequiredService<IPoolMetadata>().GetDriverAsync(pool));
    }

    [Fact]
    public async Task Free_pool_of_a_pool_recorded_before_drivers_were_falls_back_to_the_host_guess()
    {
        await using var h = await MultiPoolAsync();
        var pool = new PoolKey(_host, _project.ProjectId, _network.Id);
        Assert.Equal(1, await h.Pool.PopulateAsync(new PoolTarget(pool, "neutron", _host, _subnet.Id, SecurityGroupSet.Default), 1));
        var keys = h.Services.GetRequiredService<RedisKeys>();
        await h.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase(keys.Database).KeyDeleteAsync(keys.For(pool).Meta);

        var freed = await h.Pool.FreePoolAsync(pool);

        Assert.Equal(1, freed);
        Assert.Empty(await _project.ListPortsAsync(_network.Id));
    }

    /// <summary>multi_pool (neutron + nested) over the real kube-apiserver (the selector's node label source).</summary>
    private async Task<PoolsHarness> MultiPoolAsync()
    {
        var kube = new KubeTestBed();
        await kube.InitializeAsync();
        return await PoolsHarness.StartAsync(_project, redis, RedisTestBed.UniquePrefix("mgr-multi"), o =>
        {
            o.PortsPoolMin = 0;
            o.PortsPoolBatch = 1;
            o.VifPoolMapping = new Dictionary<string, string>(StringComparer.Ordinal) { ["neutron-vif"] = "neutron", ["nested-vlan"] = "nested" };
        }, "multi_pool", configure: services =>
        {
            services.Configure<PodVifNestedOptions>(o => o.WorkerNodesSubnets = [_subnet.Id]);
            services.AddSingleton(_ =>
                KubernetesClientFactory.Create(KubeConfigLoader.Load(kube.KubeConfigPath), new KubernetesClientOptions { Qps = 100, Burst = 100, RequestTimeout = 20 }));
        });
    }

    [Fact]
    public async Task Noop_creates_a_port_per_request_and_deletes_it_on_release()
    {
        await using var h = await StartAsync(min: 5, batch: 10, driver: "noop");

        var a = await h.Pool.RequestVifAsync(Request("a"));

        Assert.Equal("noop", a.Driver);
        Assert.Equal([a.PortId], (await _project.ListPortsAsync(_network.Id)).Select(p => p.Id));
        await h.Pool.ReleaseVifAsync(new VifRelease(a.Pool, a.Driver, a.PortId, null));
        Assert.Empty(await _project.ListPortsAsync(_network.Id));
        Assert.Empty((await h.Store.ReadAsync(a.Pool)).States);
    }

    [Fact]
    public async Task A_binding_failure_deletes_every_created_port_and_fails_clearly()
    {
        await using var h = await StartAsync(min: 3, batch: 3);
        var request = Request("a") with { NodeName = "knp-no-agent-" + Guid.NewGuid().ToString("N")[..6] };

        var e = await Assert.ThrowsAsync<PoolDriverException>(() => h.Pool.RequestVifAsync(request));

        Assert.Contains("binding_failed", e.Message, StringComparison.Ordinal);
        Assert.Empty(await _project.ListPortsAsync(_network.Id));
    }

    [Fact]
    public async Task Two_managers_and_forty_concurrent_requests_and_releases_never_share_a_port()
    {
        var prefix = RedisTestBed.UniquePrefix("mgr2");
        Action<Kuryr.Config.Options.VifPoolOptions> pools = o => { o.PortsPoolMin = 2; o.PortsPoolBatch = 5; o.PortsPoolMax = 0; };
        await using var one = await PoolsHarness.StartAsync(_project, redis, prefix, pools);
        await using var two = await PoolsHarness.StartAsync(_project, redis, prefix, pools);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            var h = i % 2 == 0 ? one : two;
            var request = Request("p" + i);
            var assignment = await h.Pool.RequestVifAsync(request);
            var snapshot = await h.Store.ReadAsync(assignment.Pool);
            Assert.Equal(request.Owner, snapshot.Owners[assignment.PortId]);
            if (i % 4 == 0)
            {
                await h.Pool.ReleaseVifAsync(new VifRelease(assignment.Pool, assignment.Driver, assignment.PortId, request.Owner));
            }

            return (request.Owner, assignment);
        }));
        await one.Manager.RefillsAsync();
        await two.Manager.RefillsAsync();

        var held = results.Where((_, i) => i % 4 != 0).ToList();
        Assert.Equal(held.Count, held.Select(r => r.assignment.PortId).Distinct().Count());
        var pool = results[0].assignment.Pool;
        var final = await one.Store.ReadAsync(pool);
        foreach (var (owner, assignment) in held)
        {
            Assert.Equal(owner, final.Owners[assignment.PortId]);
        }

        foreach (var state in Enum.GetValues<PortState>())
        {
            Assert.Equal(final.Count(state), final.Counts.GetValueOrDefault(state));
        }

        var neutronPorts = (await _project.ListPortsAsync(_network.Id)).Select(p => p.Id).ToHashSet();
        Assert.True(final.States.Keys.All(neutronPorts.Contains));
        Assert.Equal(neutronPorts.Count, final.States.Count);
    }

    [Fact]
    public async Task A_finished_population_records_its_time_from_the_TimeProvider_and_the_ports_created_in_the_pool_meta()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero));
        await using var h = await PoolsHarness.StartAsync(_project, redis, RedisTestBed.UniquePrefix("mgr"), o =>
        {
            o.PortsPoolMin = 0;
            o.PortsPoolBatch = 1;
            o.PortsPoolMax = 3;
        }, configure: s => s.AddSingleton<TimeProvider>(time));
        var metadata = h.Services.GetRequiredService<IPoolMetadata>();
        var pool = new PoolKey(_host, _project.ProjectId, _network.Id);
        var target = new PoolTarget(pool, "neutron", _host, _subnet.Id, SecurityGroupSet.Default);
        Assert.Null(await metadata.GetLastPopulateAsync(pool));

        Assert.Equal(2, await h.Pool.PopulateAsync(target, 2));
        Assert.Equal(new LastPopulate(time.GetUtcNow(), 2), await metadata.GetLastPopulateAsync(pool));

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await h.Pool.PopulateAsync(target, 5));
        Assert.Equal(new LastPopulate(time.GetUtcNow(), 1), await metadata.GetLastPopulateAsync(pool));

        // The pool is full (ports_pool_max 3): nothing is created, the last population stays.
        var last = time.GetUtcNow();
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await h.Pool.PopulateAsync(target, 1));
        Assert.Equal(new LastPopulate(last, 1), await metadata.GetLastPopulateAsync(pool));
    }
}

[CollectionDefinition(VifPoolManagerTests.Collection)]
public sealed class PoolsNeutronGroup
{
}
