using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Drivers.Nested;
using Kuryr.Pools.Ownership;
using Kuryr.Pools.State;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Kuryr.Pools.Tests.Drivers.Nested;

/// <summary>DI composition: AddNestedPoolDriver resolves a "nested" IPoolDriver from the real pieces.</summary>
public sealed class NestedPoolDriverServiceCollectionExtensionsTests
{
    [Fact]
    public void The_nested_driver_and_the_vlan_reservations_resolve_once_each()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions();
        services.Configure<PodVifNestedOptions>(o => o.WorkerNodesSubnets = ["subnet-a"]);
        services.AddNeutronClient(o =>
        {
            o.AuthType = "noauth";
            o.EndpointOverride = "http://127.0.0.1:9/v2.0";
            o.ProjectId = "p";
        });
        // Not connected: nothing here talks to Redis.
        services.AddSingleton<IConnectionMultiplexer>(_ => null!);
        services.AddSingleton(new RedisKeys("di-test"));
        services.AddSingleton<IPoolStateStore>(_ => null!);
        services.AddSingleton<IPortOwnership>(new PortOwnership("c", []));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ISubnetCache, SubnetCache>();

        services.AddNestedPoolDriver();
        services.AddNestedPoolDriver(); // idempotent

        using var provider = services.BuildServiceProvider();
        var driver = Assert.Single(provider.GetServices<IPoolDriver>());
        Assert.Equal("nested", driver.Name);
        Assert.Equal("nested-vlan", driver.PodVifDriver);
        Assert.True(driver.Pooled);
        Assert.IsType<RedisVlanReservations>(provider.GetRequiredService<IVlanReservations>());
    }
}
