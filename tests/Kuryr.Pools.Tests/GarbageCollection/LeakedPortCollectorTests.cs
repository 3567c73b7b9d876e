using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Neutron;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Pools.GarbageCollection;
using Kuryr.Pools.Recovery;
using Kuryr.Pools.State;
using Kuryr.Pools.Tests.Recovery;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Kuryr.Testing.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Tests.GarbageCollection;

/// <summary>
/// Garbage collection against real Redis, the real neutron-server (through a <see cref="FaultProxy"/>
/// where a listing must fail) and the real kube-apiserver. Ports' <c>created_at</c> comes from
/// Neutron's wall clock; the collector's clock is a <see cref="ManualTimeProvider"/> set relative to it.
/// </summary>
[Collection(NeutronTestProject.Collection)]
public sealed class LeakedPortCollectorTests(RecoveryBed bed) : IClassFixture<RecoveryBed>
{
    /// <summary>A clock one hour after now: every port created by the test is past the 600 s grace period.</summary>
    private static ManualTimeProvider AnHourLater() => new(DateTimeOffset.UtcNow + TimeSpan.FromHours(1));

    private static LeakedPortCollector NewCollector(
        RecoveryBed.Scope scope,
        INeutronClient neutron,
        TimeProvider time,
        IKuryrPortReferences? references = null,
        int pageSize = 500) =>
        new(neutron, scope.Ownership, [scope.Driver], scope.Store, references ?? scope.References, time,
            Options.Create(new VifPoolOptions()), Options.Create(new LeakedPortCollectorOptions { PageSize = pageSize }),
            NullLogger<LeakedPortCollector>.Instance);

    /// <summary>A Neutron client of the test project through <paramref name="endpoint"/>, without retries
    /// (a failed page fails the listing at once).</summary>
    private INeutronClient ClientThrough(Uri endpoint, List<ServiceProvider> providers)
    {
        var services = new ServiceCollection();
        services.AddNeutronClient(o =>
        {
            o.AuthType = "noauth";
            o.EndpointOverride = endpoint.ToString();
            o.ProjectId = bed.Project.ProjectId;
            o.UserId = "kuryr-gc-tests";
            o.Roles = ["admin"];
            o.RequestsPerSecond = 0;
            o.MaxRetries = 0;
        });
        var provider = services.BuildServiceProvider();
        providers.Add(provider);
        return provider.GetRequiredService<INeutronClient>();
    }

    private async Task<bool> ExistsAsync(string portId)
    {
        try
        {
            await bed.Project.Admin.GetPortAsync(portId);
            return true;
        }
        catch (NeutronNotFoundException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Leaked_port_is_deleted_only_on_the_second_complete_listing_and_nothing_else_is_touched()
    {
        await using var scope = bed.NewScope("gc-basic");
        var leaked = await scope.Driver.CreatePortsAsync(scope.Target(), 2, default);
        var pooled = await scope.PopulateAsync(1);
        var referenced = (await scope.Driver.CreatePortsAsync(scope.Target(), 1, default))[0];
        await bed.CreateKuryrPortAsync("gc-pod", "gc-uid", new Dictionary<string, string> { ["eth0"] = referenced.VifJson });
        // Ours by device_owner and host, but without the ownership tag (hand-made): never GC's business.
        var untagged = await bed.Project.Admin.CreatePortAsync(new PortCreate
        {
            NetworkId = bed.Network.Id,
            ProjectId = bed.Project.ProjectId,
            DeviceOwner = "compute:kuryr",
            BindingHostId = bed.Hosts[0],
        });
        try
        {
            var gc = NewCollector(scope, bed.Project.Admin, AnHourLater());

            var first = await gc.CollectAsync();

            Assert.True(first.Complete);
            Assert.Equal(leaked.Select(p => p.PortId).Order(), first.Candidates.Order());
            Assert.Empty(first.Deleted);
            Assert.Equal(4, first.Listed);
            Assert.Equal(leaked.Select(p => p.PortId).Order(), gc.SeenOnce.Order());
            foreach (var p in leaked)
            {
                Assert.True(await ExistsAsync(p.PortId));
            }

            var second = await gc.CollectAsync();

            Assert.True(second.Complete);
            Assert.Equal(leaked.Select(p => p.PortId).Order(), second.Deleted.Order());
            Assert.Empty(gc.SeenOnce);
            foreach (var p in leaked)
            {
                Assert.False(await ExistsAsync(p.PortId));
            }

            Assert.True(await ExistsAsync(pooled[0].PortId));
            Assert.True(await ExistsAsync(referenced.PortId));
            Assert.True(await ExistsAsync(untagged.Id));
            Assert.Equal(PortState.Available, (await scope.Store.ReadAsync(scope.Pool())).States[pooled[0].PortId]);

            var third = await gc.CollectAsync();
            Assert.Empty(third.Candidates);
            Assert.Empty(third.Deleted);
        }
        finally
        {
            await bed.DeleteKuryrPortAsync("gc-pod");
            await bed.Project.Admin.DeletePortAsync(untagged.Id);
        }
    }

    [Fact]
    public async Task Port_younger_than_the_grace_period_is_kept_until_it_is_older()
    {
        await using var scope = bed.NewScope("gc-young");
        var leaked = (await scope.Driver.CreatePortsAsync(scope.Target(), 1, default))[0];
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var gc = NewCollector(scope, bed.Project.Admin, clock);

        var first = await gc.CollectAsync();
        var second = await gc.CollectAsync();

        Assert.Equal((1, 1), (first.TooYoung, second.TooYoung));
        Assert.Empty(first.Candidates);
        Assert.Empty(second.Deleted);
        Assert.Empty(gc.SeenOnce);
        Assert.True(await ExistsAsync(leaked.PortId));

        clock.Advance(TimeSpan.FromSeconds(new VifPoolOptions().GcGracePeriodSeconds) + TimeSpan.FromMinutes(5));
        var third = await gc.CollectAsync();
        Assert.Equal([leaked.PortId], third.Candidates);
        Assert.Empty(third.Deleted);
        var fourth = await gc.CollectAsync();
        Assert.Equal([leaked.PortId], fourth.Deleted);
        Assert.False(await ExistsAsync(leaked.PortId));
    }

    [Fact]
    public async Task Candidate_that_a_pool_or_a_KuryrPort_claims_before_the_second_pass_is_kept()
    {
        await using var scope = bed.NewScope("gc-claimed");
        var ports = await scope.Driver.CreatePortsAsync(scope.Target(), 2, default);
        var gc = NewCollector(scope, bed.Project.Admin, AnHourLater());
        var first = await gc.CollectAsync();
        Assert.Equal(2, first.Candidates.Count);

        // A population finishing late adds one to Redis; a pod's KuryrPort references the other.
        await scope.Store.AddAvailableAsync(scope.Pool(), SecurityGroupSet.Default, [ports[0]]);
        await bed.CreateKuryrPortAsync("gc-late", "gc-late-uid", new Dictionary<string, string> { ["eth0"] = ports[1].VifJson });
        try
        {
            var second = await gc.CollectAsync();

            Assert.True(second.Complete);
            Assert.Empty(second.Candidates);
            Assert.Empty(second.Deleted);
            Assert.Empty(gc.SeenOnce);
            Assert.True(await ExistsAsync(ports[0].PortId));
            Assert.True(await ExistsAsync(ports[1].PortId));
        }
        finally
        {
            await bed.DeleteKuryrPortAsync("gc-late");
        }
    }

    [Fact]
    public async Task A_failing_page_of_the_Neutron_listing_deletes_nothing_and_does_not_advance_the_seen_set()
    {
        await using var scope = bed.NewScope("gc-page");
        var leaked = (await scope.Driver.CreatePortsAsync(scope.Target(), 5, default)).Select(p => p.PortId).Order().ToList();
        await using var proxy = await FaultProxy.StartAsync(bed.Project.Bed.HeadersEndpoint);
        var providers = new List<ServiceProvider>();
        try
        {
            var gc = NewCollector(scope, ClientThrough(proxy.BaseAddress, providers), AnHourLater(), pageSize: 2);
            static bool NextPage(ProxiedRequest r) =>
                r.Method == "GET" && r.Path.EndsWith("/ports", StringComparison.Ordinal) && r.Query.Contains("marker=", StringComparison.Ordinal);

            // (1) The second page fails on the very first pass: nothing is seen, nothing deleted.
            var fault = proxy.InjectFault(NextPage, ProxyFault.Status(500, """{"NeutronError":{"type":"HTTPInternalServerError","message":"injected","detail":""}}"""), times: 1);
            var failed = await gc.CollectAsync();
            Assert.False(failed.Complete);
            Assert.Equal(1, fault.Hits);
            Assert.Empty(failed.Deleted);
            Assert.Empty(gc.SeenOnce);

            // (2) A complete pass: several pages, the five leaked ports seen once, none deleted
            // (the failed pass does not count as the first of the two).
            proxy.ResetCounts();
            var complete = await gc.CollectAsync();
            Assert.True(complete.Complete);
            Assert.True(proxy.Count(NextPage) >= 2, "the listing should span several pages");
            Assert.Equal(leaked, complete.Candidates.Order());
            Assert.Empty(complete.Deleted);
            Assert.Equal(leaked, gc.SeenOnce.Order());

            // (3) The listing fails again mid-way: still nothing deleted, the seen set left as it was.
            fault = proxy.InjectFault(NextPage, ProxyFault.Status(500, """{"NeutronError":{"type":"HTTPInternalServerError","message":"injected","detail":""}}"""), times: 1);
            var again = await gc.CollectAsync();
            Assert.False(again.Complete);
            Assert.Equal(1, fault.Hits);
            Assert.Empty(again.Deleted);
            Assert.Equal(leaked, gc.SeenOnce.Order());
            foreach (var id in leaked)
            {
                Assert.True(await ExistsAsync(id));
            }

            // (4) The next complete pass deletes them.
            var last = await gc.CollectAsync();
            Assert.True(last.Complete);
            Assert.Equal(leaked, last.Deleted.Order());
            foreach (var id in leaked)
            {
                Assert.False(await ExistsAsync(id));
            }
        }
        finally
        {
            foreach (var p in providers)
            {
                await p.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_failing_KuryrPort_listing_deletes_nothing_and_does_not_advance_the_seen_set()
    {
        await using var scope = bed.NewScope("gc-kube");
        var leaked = (await scope.Driver.CreatePortsAsync(scope.Target(), 2, default)).Select(p => p.PortId).Order().ToList();
        // A kube-apiserver whose KuryrPort LIST answers 500 (the proxy never forwards it).
        await using var proxy = await FaultProxy.StartAsync(bed.Kube.Server);
        proxy.InjectFault(r => r.Path.Contains("kuryrports", StringComparison.Ordinal),
            ProxyFault.Status(500, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"injected","reason":"InternalError","code":500}"""),
            times: 1000);
        using var brokenKube = KubernetesClientFactory.Create(new KubernetesClientConfiguration { Server = proxy.BaseAddress, Description = "fault proxy" },
            new KubernetesClientOptions { Qps = 1000, Burst = 1000, RequestTimeout = 20 });
        var clock = AnHourLater();
        var good = NewCollector(scope, bed.Project.Admin, clock);
        var broken = NewCollector(scope, bed.Project.Admin, clock, new KuryrPortReferences(brokenKube));

        var failed = await broken.CollectAsync();
        Assert.False(failed.Complete);
        Assert.Contains("kuryrports", proxy.Requests.Select(r => r.Path).FirstOrDefault() ?? "", StringComparison.Ordinal);
        Assert.Empty(broken.SeenOnce);

        // Two passes of the broken collector never delete, however many times it runs.
        await broken.CollectAsync();
        Assert.Empty(broken.SeenOnce);
        foreach (var id in leaked)
        {
            Assert.True(await ExistsAsync(id));
        }

        // The seen set survives a failed pass: a good pass, a failed pass, then deletion.
        Assert.Equal(leaked, (await good.CollectAsync()).Candidates.Order());
        var references = new SwitchableReferences(scope.References, new KuryrPortReferences(brokenKube));
        var mixed = NewCollector(scope, bed.Project.Admin, clock, references);
        Assert.True((await mixed.CollectAsync()).Complete);
        references.Broken = true;
        var aborted = await mixed.CollectAsync();
        Assert.False(aborted.Complete);
        Assert.Equal(leaked, mixed.SeenOnce.Order());
        foreach (var id in leaked)
        {
            Assert.True(await ExistsAsync(id));
        }

        references.Broken = false;
        Assert.Equal(leaked, (await mixed.CollectAsync()).Deleted.Order());
    }

    /// <summary>Real KuryrPort listings: through the real API server, or through the failing proxy.</summary>
    private sealed class SwitchableReferences(IKuryrPortReferences good, IKuryrPortReferences broken) : IKuryrPortReferences
    {
        public bool Broken { get; set; }

        public Task<KuryrPortReferenceSet> ListAsync(CancellationToken cancellationToken = default) =>
            (Broken ? broken : good).ListAsync(cancellationToken);
    }
}
