using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Pools.DependencyInjection;
using Kuryr.Pools.Drivers;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Pools.Tests.Drivers.Macvlan;

/// <summary><c>pod_vif_driver = nested-macvlan</c> through <c>AddKuryrPools</c> (no cloud call is made).</summary>
public sealed class ConfiguredMacvlanDriversTests(RedisTestBed redis) : IClassFixture<RedisTestBed>
{
    private ServiceProvider Compose(Action<KubernetesOptions> kubernetes, Dictionary<string, string>? mapping = null)
    {
        var services = new ServiceCollection();
        services.AddNeutronClient(o => { o.AuthType = "noauth"; o.EndpointOverride = "http://127.0.0.1:9/v2.0"; o.ProjectId = "p"; });
        services.Configure(kubernetes);
        services.Configure<VifPoolOptions>(o => o.VifPoolMapping = mapping ?? []);
        services.Configure<RedisOptions>(o => { o.Endpoints = [redis.Endpoint]; o.KeyPrefix = RedisTestBed.UniquePrefix("mv"); });
        services.AddKuryrPools();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Noop_with_nested_macvlan_is_an_unpooled_macvlan_driver()
    {
        await using var provider = Compose(o => { o.VifPoolDriver = "noop"; o.PodVifDriver = "nested-macvlan"; });

        var driver = Assert.Single(provider.GetRequiredService<IEnumerable<IPoolDriver>>());

        Assert.Equal("noop", driver.Name);
        Assert.Equal("nested-macvlan", driver.PodVifDriver);
        Assert.False(driver.Pooled);
    }

    [Fact]
    public async Task Multi_pool_maps_nested_macvlan_and_neutron_vif_to_two_noop_drivers()
    {
        await using var provider = Compose(
            o => { o.VifPoolDriver = "multi_pool"; o.PodVifDriver = "neutron-vif"; },
            new() { ["nested-macvlan"] = "noop", ["neutron-vif"] = "noop" });

        var drivers = provider.GetRequiredService<IEnumerable<IPoolDriver>>().ToList();

        Assert.Equal(["nested-macvlan", "neutron-vif"], drivers.Select(d => d.PodVifDriver).Order());
        Assert.All(drivers, d => Assert.Equal("noop", d.Name));
    }

    [Fact]
    public async Task Nested_macvlan_cannot_be_pooled()
    {
        await using var provider = Compose(o => { o.VifPoolDriver = "nested"; o.PodVifDriver = "nested-macvlan"; });

        var e = Assert.ThrowsAny<PoolDriverException>(() => provider.GetRequiredService<IEnumerable<IPoolDriver>>());

        Assert.Contains("nested cannot serve pod_vif_driver nested-macvlan", e.Message, StringComparison.Ordinal);
    }
}
