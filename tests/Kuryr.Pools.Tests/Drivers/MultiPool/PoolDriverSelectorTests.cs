using System.Text;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Neutron;
using Kuryr.Pools.DependencyInjection;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.MultiPool;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Pools.Tests.Drivers.MultiPool;

/// <summary>multi_pool against the REAL kube-apiserver's Node objects.</summary>
public sealed class PoolDriverSelectorTests(KubeTestBed kube, RedisTestBed redis) : IClassFixture<KubeTestBed>, IClassFixture<RedisTestBed>, IAsyncLifetime
{
    private readonly List<string> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var http = kube.CreateHttpClient();
        foreach (var node in _nodes)
        {
            using var _ = await http.DeleteAsync(new Uri(kube.Server, "/api/v1/nodes/" + node));
        }
    }

    private async Task<string> CreateNodeAsync(string? podVif)
    {
        var name = KubeTestBed.UniqueName("knp-node");
        var labels = podVif is null ? "" : ",\"labels\":{\"pod_vif\":\"" + podVif + "\"}";
        using var http = kube.CreateHttpClient();
        using var content = new StringContent("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"" + labels + "}}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(kube.Server, "/api/v1/nodes"), content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        _nodes.Add(name);
        return name;
    }

    private ServiceProvider Compose(Dictionary<string, string> mapping, string defaultPodVif)
    {
        var services = new ServiceCollection();
        services.AddKubernetesClient(o => o.KubeConfig = kube.KubeConfigPath);
        services.AddNeutronClient(o => { o.AuthType = "noauth"; o.EndpointOverride = "http://127.0.0.1:9/v2.0"; o.ProjectId = "p"; });
        services.Configure<KubernetesOptions>(o => { o.VifPoolDriver = "multi_pool"; o.PodVifDriver = defaultPodVif; });
        services.Configure<VifPoolOptions>(o => o.VifPoolMapping = mapping);
        services.Configure<RedisOptions>(o => { o.Endpoints = [redis.Endpoint]; o.KeyPrefix = RedisTestBed.UniquePrefix("sel"); });
        services.AddKuryrPools();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task The_node_pod_vif_label_picks_the_driver_and_an_unlabelled_node_gets_pod_vif_driver()
    {
        await using var provider = Compose(new() { ["neutron-vif"] = "neutron", ["nested-vlan"] = "nested" }, defaultPodVif: "nested-vlan");
        var selector = provider.GetRequiredService<IPoolDriverSelector>();
        var bareMetal = await CreateNodeAsync("neutron-vif");
        var vm = await CreateNodeAsync(null);

        Assert.Equal("neutron", (await selector.ForNodeAsync(bareMetal)).Name);
        Assert.Equal("nested", (await selector.ForNodeAsync(vm)).Name);
        Assert.Equal(["nested", "neutron"], selector.Drivers.Select(d => d.Name).Order());
    }

    [Fact]
    public async Task A_label_without_a_mapped_driver_fails_naming_it()
    {
        await using var provider = Compose(new() { ["neutron-vif"] = "neutron" }, defaultPodVif: "neutron-vif");
        var selector = provider.GetRequiredService<IPoolDriverSelector>();
        var node = await CreateNodeAsync("nested-vlan");

        var e = await Assert.ThrowsAsync<PoolDriverException>(() => selector.ForNodeAsync(node));

        Assert.Contains("pod_vif \"nested-vlan\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_pairing_fails_at_start_listing_the_valid_ones()
    {
        await using var provider = Compose(new() { ["nested-vlan"] = "neutron" }, defaultPodVif: "neutron-vif");

        var e = Assert.ThrowsAny<PoolDriverException>(() => provider.GetRequiredService<IPoolDriverSelector>());

        Assert.Contains("neutron cannot serve pod_vif_driver nested-vlan", e.Message, StringComparison.Ordinal);
        Assert.Contains("neutron→{neutron-vif}", e.Message, StringComparison.Ordinal);
    }
}
