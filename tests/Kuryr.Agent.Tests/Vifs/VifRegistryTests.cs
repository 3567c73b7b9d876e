using System.Diagnostics;
using Kuryr.Agent.Hosting;
using Kuryr.Agent.Vifs;
using Kuryr.Assignments;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Testing.Agent;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Kuryr.Agent.Tests.Vifs;

/// <summary>The VIF registry against the REAL kube-apiserver (KuryrPort watch) and Redis (assignment push).</summary>
public sealed class VifRegistryTests(KubeTestBed kube, RedisTestBed redis)
    : IClassFixture<KubeTestBed>, IClassFixture<RedisTestBed>, IAsyncLifetime
{
    private readonly string _prefix = RedisTestBed.UniquePrefix("agent-vifs");
    private readonly string _node = KubeTestBed.UniqueName("agent-node");
    private readonly CancellationTokenSource _stop = new();
    private ServiceProvider _provider = null!;
    private string _ns = "";
    private Task _run = Task.CompletedTask;

    private IKubernetesClient Api => _provider.GetRequiredService<IKubernetesClient>();

    private IVifRegistry Registry => _provider.GetRequiredService<IVifRegistry>();

    public async Task InitializeAsync()
    {
        _ns = await kube.CreateNamespaceAsync("agent-vifs");
        _provider = Build(redis.Endpoint);
        _run = Registry.RunAsync(_stop.Token);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Registry.WaitForSyncAsync(cts.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        try
        {
            await Api.DeleteAsync(KubernetesResources.Namespaces, null, _ns);
        }
        catch (KubernetesApiException)
        {
        }

        var mux = _provider.GetService<IConnectionMultiplexer>();
        if (mux is not null)
        {
            await mux.GetDatabase().KeyDeleteAsync($"{_prefix}:node:{{{_node}}}:vifs");
        }

        await _provider.DisposeAsync();
        _stop.Dispose();
    }

    private ServiceProvider Build(string redisEndpoint)
    {
        var services = AgentBed.Services(kube, redisEndpoint, _prefix);
        services.AddSingleton(new AgentNode { Name = _node });
        services.AddKuryrNodeVifAssignments();
        services.AddKuryrVifRegistry();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_kuryrport_written_for_this_node_is_seen_by_the_watch()
    {
        var uid = Guid.NewGuid().ToString();
        var vif = AgentTestVifs.Ovs("10.77.0.10");
        var wait = Registry.WaitForVifsAsync(_ns, "pod-a", uid, TimeSpan.FromSeconds(20), default);
        await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "pod-a", uid, _node, vif));

        var vifs = await wait;
        Assert.Equal(VifRegistry.WatchSource, vifs.Source);
        Assert.Equal(uid, vifs.PodUid);
        var only = Assert.Single(vifs.Vifs);
        Assert.Equal("eth0", only.InterfaceName);
        Assert.True(only.Default);
        Assert.Equal(vif.Address, only.Vif.Address);
        Assert.Equal(vif.Id, only.Vif.Id);
    }

    [Fact]
    public async Task A_kuryrport_of_another_node_is_never_seen()
    {
        var uid = Guid.NewGuid().ToString();
        await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "pod-b", uid, _node + "-other", AgentTestVifs.Ovs("10.77.0.11")));
        // A marker on this node written after it: once the marker is seen, the other one would have been too.
        await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "marker", uid, _node, AgentTestVifs.Ovs("10.77.0.12")));
        await Registry.WaitForVifsAsync(_ns, "marker", uid, TimeSpan.FromSeconds(20), default);

        Assert.Null(Registry.TryGet(_ns, "pod-b", null));
        var e = await Assert.ThrowsAsync<VifWaitTimeoutException>(() => Registry.WaitForVifsAsync(_ns, "pod-b", uid, TimeSpan.FromSeconds(1), default));
        Assert.Contains("no KuryrPort", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, ((VifRegistry)Registry).PendingSignals);
    }

    [Fact]
    public async Task An_assignment_pushed_through_redis_is_seen_without_any_kuryrport()
    {
        var uid = Guid.NewGuid().ToString();
        var vif = AgentTestVifs.Ovs("10.77.0.13");
        var wait = Registry.WaitForVifsAsync(_ns, "pod-c", uid, TimeSpan.FromSeconds(20), default);
        await Task.Delay(200);
        var publisher = _provider.GetRequiredService<INodeVifPublisher>();
        var sw = Stopwatch.StartNew();
        await publisher.PublishAsync(_node, _ns, "pod-c", new NodeVifAssignment(uid, null, AgentTestVifs.VifsMap(vif)));

        var vifs = await wait;
        Assert.Equal(VifRegistry.RedisSource, vifs.Source);
        Assert.Equal(vif.Address, Assert.Single(vifs.Vifs).Vif.Address);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"push took {sw.Elapsed}");
    }

    [Fact]
    public async Task An_assignment_published_before_the_wait_is_read_from_redis()
    {
        var uid = Guid.NewGuid().ToString();
        var publisher = _provider.GetRequiredService<INodeVifPublisher>();
        await publisher.PublishAsync(_node, _ns, "pod-d", new NodeVifAssignment(uid, null, AgentTestVifs.VifsMap(AgentTestVifs.Ovs("10.77.0.14"))));

        var vifs = await Registry.WaitForVifsAsync(_ns, "pod-d", uid, TimeSpan.FromSeconds(5), default);
        Assert.Equal(uid, vifs.PodUid);
    }

    [Fact]
    public async Task A_kuryrport_of_an_older_pod_with_the_same_name_is_not_this_pods_and_the_timeout_names_it()
    {
        var oldUid = Guid.NewGuid().ToString();
        var newUid = Guid.NewGuid().ToString();
        await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "web-0", oldUid, _node, AgentTestVifs.Ovs("10.77.0.15")));
        await Registry.WaitForVifsAsync(_ns, "web-0", oldUid, TimeSpan.FromSeconds(20), default);

        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<VifWaitTimeoutException>(() => Registry.WaitForVifsAsync(_ns, "web-0", newUid, TimeSpan.FromSeconds(1.5), default));
        Assert.InRange(sw.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(10));
        Assert.Contains(oldUid, e.Message, StringComparison.Ordinal);
        Assert.Contains(newUid, e.Message, StringComparison.Ordinal);
        Assert.Contains("vif_annotation_timeout", e.Message, StringComparison.Ordinal);

        // The StatefulSet race resolves: the controller replaces the KuryrPort for the new pod while the ADD waits.
        var wait = Registry.WaitForVifsAsync(_ns, "web-0", newUid, TimeSpan.FromSeconds(20), default);
        await Api.DeleteAsync(KubernetesResources.KuryrPorts, _ns, "web-0");
        await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "web-0", newUid, _node, AgentTestVifs.Ovs("10.77.0.16")));
        Assert.Equal(newUid, (await wait).PodUid);
    }

    [Fact]
    public async Task An_inactive_vif_is_waited_for_until_it_turns_active()
    {
        var uid = Guid.NewGuid().ToString();
        var kp = await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "pod-e", uid, _node, AgentTestVifs.Ovs("10.77.0.17", active: false)));
        var e = await Assert.ThrowsAsync<VifWaitTimeoutException>(() => Registry.WaitForVifsAsync(_ns, "pod-e", uid, TimeSpan.FromSeconds(1), default));
        Assert.Contains("not active", e.Message, StringComparison.Ordinal);

        var wait = Registry.WaitForVifsAsync(_ns, "pod-e", uid, TimeSpan.FromSeconds(20), default);
        kp.Status!.Vifs["eth0"].Vif!["versioned_object.data"]!["active"] = true;
        await Api.ReplaceAsync(KubernetesResources.KuryrPorts, kp);
        Assert.True((await wait).AllActive);
    }

    [Fact]
    public async Task With_redis_down_the_watch_alone_still_delivers()
    {
        await _stop.CancelAsync();
        await _run;
        await _provider.DisposeAsync();
        using var stop = new CancellationTokenSource();
        await using var provider = Build("127.0.0.1:1"); // nothing listens there
        var registry = provider.GetRequiredService<IVifRegistry>();
        var run = registry.RunAsync(stop.Token);
        await registry.WaitForSyncAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        var uid = Guid.NewGuid().ToString();
        await provider.GetRequiredService<IKubernetesClient>().CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "pod-f", uid, _node, AgentTestVifs.Ovs("10.77.0.18")));
        var vifs = await registry.WaitForVifsAsync(_ns, "pod-f", uid, TimeSpan.FromSeconds(20), default);
        Assert.Equal(VifRegistry.WatchSource, vifs.Source);
        await stop.CancelAsync();
        await run;
        _provider = Build(redis.Endpoint);
    }

    [Fact]
    public void Vifs_are_ordered_default_first_then_by_number()
    {
        var vifs = AgentTestVifs.VifsMap(AgentTestVifs.Ovs("10.77.0.1"), AgentTestVifs.Ovs("10.77.0.2"));
        vifs["eth10"] = vifs["eth1"]!.DeepClone();
        vifs["eth2"] = vifs["eth1"]!.DeepClone();
        var ordered = VifRegistry.ParseVifs(vifs);
        Assert.Equal(["eth0", "eth1", "eth2", "eth10"], ordered.Select(v => v.InterfaceName));
    }
}
