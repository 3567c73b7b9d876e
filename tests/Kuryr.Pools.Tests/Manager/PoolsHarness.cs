using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Pools.DependencyInjection;
using Kuryr.Pools.Manager;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Pools.Tests.Manager;

/// <summary>One controller's pools composed through <c>AddKuryrPools</c> against the REAL Redis and
/// neutron-server (through a counting <see cref="FaultProxy"/>).</summary>
internal sealed class PoolsHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private PoolsHarness(ServiceProvider provider, FaultProxy proxy)
    {
        _provider = provider;
        Proxy = proxy;
    }

    public FaultProxy Proxy { get; }

    public IVifPool Pool => _provider.GetRequiredService<IVifPool>();

    public VifPoolManager Manager => _provider.GetRequiredService<VifPoolManager>();

    public IPoolStateStore Store => _provider.GetRequiredService<IPoolStateStore>();

    public IServiceProvider Services => _provider;

    public static async Task<PoolsHarness> StartAsync(
        NeutronTestProject project, RedisTestBed redis, string keyPrefix, Action<VifPoolOptions> pools, string vifPoolDriver = "neutron",
        Action<KubernetesOptions>? kubernetes = null, Action<IServiceCollection>? configure = null)
    {
        var proxy = await FaultProxy.StartAsync(project.Bed.HeadersEndpoint);
        var services = new ServiceCollection();
        services.AddNeutronClient(o =>
        {
            o.AuthType = "noauth";
            o.EndpointOverride = proxy.BaseAddress.ToString();
            o.ProjectId = project.ProjectId;
            o.UserId = "kuryr-pools-tests";
            o.Roles = ["admin"];
            o.RequestsPerSecond = 0;
        });
        services.Configure<KubernetesOptions>(o =>
        {
            o.VifPoolDriver = vifPoolDriver;
            o.PodVifDriver = "neutron-vif";
            kubernetes?.Invoke(o);
        });
        services.Configure(pools);
        services.Configure<NeutronDefaultsOptions>(o => o.ClusterId = "pools-tests");
        services.Configure<RedisOptions>(o =>
        {
            o.Endpoints = [redis.Endpoint];
            o.KeyPrefix = keyPrefix;
        });
        configure?.Invoke(services);
        services.AddKuryrPools();
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IPoolReadiness>().MarkRecovered();
        return new PoolsHarness(provider, proxy);
    }

    public async ValueTask DisposeAsync()
    {
        await Manager.RefillsAsync();
        await _provider.DisposeAsync();
        await Proxy.DisposeAsync();
    }
}
