using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Subnets;
using Kuryr.Pools.Events;
using Kuryr.Pools.State;
using Kuryr.Pools.Tests.Manager;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Pools.Tests.Events;

/// <summary>
/// A failed background refill leaves Kuryr's <c>FailToPopulateVIFPool</c> Warning event on the
/// Node: the real manager, Neutron refusing the bulk create (through the fault proxy) and the real
/// kube-apiserver receiving the event.
/// </summary>
[Collection(VifPoolManagerTests.Collection)]
public sealed class KubernetesPoolEventsTests(RedisTestBed redis, KubeTestBed kube) : IClassFixture<RedisTestBed>, IClassFixture<KubeTestBed>, IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();
    private readonly string _host = KubeTestBed.UniqueName("knp-evnode");
    private Network _network = null!;
    private Subnet _subnet = null!;
    private IKubernetesClient _kube = null!;

    public async Task InitializeAsync()
    {
        await _project.InitializeAsync();
        await _project.Bed.RegisterOvsAgentAsync(_host);
        (_network, _subnet) = await _project.CreateNetworkAsync("10.79.0.0/24");
        _kube = KubernetesClientFactory.Create(KubeConfigLoader.Load(kube.KubeConfigPath));
    }

    public async Task DisposeAsync()
    {
        _kube.Dispose();
        await _project.DisposeAsync();
    }

    private async Task<List<Event>> EventsForNodeAsync() =>
        (await _kube.ListAsync(KubernetesResources.Events, KubernetesPoolEvents.NodeEventNamespace,
            new ListOptions { FieldSelector = $"involvedObject.kind=Node,involvedObject.name={_host}" })).Items;

    [Fact]
    public async Task A_refill_refused_by_Neutron_leaves_a_FailToPopulateVIFPool_warning_on_the_node()
    {
        await using var h = await PoolsHarness.StartAsync(_project, redis, RedisTestBed.UniquePrefix("events"), o =>
        {
            o.PortsPoolMin = 2;
            o.PortsPoolBatch = 2;
        }, configure: s => s.AddSingleton(_kube).AddKuryrPoolEvents());

        var request = new PodVifRequest("ns1", "a", Guid.NewGuid().ToString(), _host, null, "eth0",
            _project.ProjectId, _subnet.Id, _network.Id, SecurityGroupSet.Default);

        // The first population (2 ports) succeeds; the refill after the take is refused.
        h.Proxy.InjectFault(r => r.Method == "POST" && r.Path.EndsWith("/ports", StringComparison.Ordinal) && h.Proxy.Count(x => x.Method == "POST" && x.Path.EndsWith("/ports", StringComparison.Ordinal)) > 1,
            ProxyFault.Status(409, "{\"NeutronError\":{\"type\":\"OverQuota\",\"message\":\"Quota exceeded for resources: ['port'].\",\"detail\":\"\"}}"), times: 5);
        Assert.Empty(await EventsForNodeAsync());

        await h.Pool.RequestVifAsync(request);
        await h.Manager.RefillsAsync();

        var ev = Assert.Single(await EventsForNodeAsync());
        Assert.Equal("FailToPopulateVIFPool", ev.Reason);
        Assert.Equal("Warning", ev.Type);
        Assert.Equal("Node", ev.InvolvedObject!.Kind);
        Assert.Contains(_network.Id, ev.Message, StringComparison.Ordinal);
        Assert.Contains("Quota exceeded", ev.Message, StringComparison.Ordinal);
        Assert.Equal("kuryr-controller", ev.Source!.Component);
    }
}
