using Kuryr.Config.Options;
using Kuryr.Config.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Config.Tests.DependencyInjection;

public sealed class KuryrConfigServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuryr-config-di-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ServiceProvider Provider(string text, ListLogger logger, IReadOnlyDictionary<string, string>? env = null, KuryrComponent component = KuryrComponent.None)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(new ListLoggerFactory(logger));
        services.AddKuryrConfig(Conf.Build(text, env), component);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Every_section_is_available_as_options_and_the_file_is_bound_once()
    {
        var logger = new ListLogger();
        using var sp = Provider("[vif_pool]\nports_pool_min = 2\nbogus = 1\n[redis]\nkey_prefix = c1\n", logger, Conf.Env(("KURYR_VIF_POOL__PORTS_POOL_BATCH", "3")));

        sp.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(2, sp.GetRequiredService<IOptions<VifPoolOptions>>().Value.PortsPoolMin);
        Assert.Equal(3, sp.GetRequiredService<IOptionsMonitor<VifPoolOptions>>().CurrentValue.PortsPoolBatch);
        Assert.Equal("c1", sp.GetRequiredService<IOptions<RedisOptions>>().Value.KeyPrefix);
        Assert.Equal("neutron-vif", sp.GetRequiredService<IOptions<KubernetesOptions>>().Value.PodVifDriver);
        Assert.Equal(20, sp.GetRequiredService<IOptions<NeutronOptions>>().Value.BulkCreateConcurrency);
        Assert.Equal(3600, sp.GetRequiredService<IOptions<NodesCachingOptions>>().Value.CacheTimeSeconds);
        Assert.Same(sp.GetRequiredService<KuryrConfig>(), sp.GetRequiredService<KuryrConfig>());

        // Options objects are copies: changing one does not change the singleton's section.
        sp.GetRequiredService<IOptions<VifPoolOptions>>().Value.PortsPoolMin = 99;
        Assert.Equal(2, sp.GetRequiredService<KuryrConfig>().VifPool.PortsPoolMin);

        Assert.Single(logger.Entries, e => e.EventId.Id == 1002);
    }

    [Fact]
    public void A_bad_value_fails_at_start_with_every_problem()
    {
        using var sp = Provider("[vif_pool]\nports_pool_min = -1\n[kubernetes]\nuse_events = sometimes\n", new ListLogger());

        var ex = Assert.Throws<KuryrConfigException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(2, ex.Problems.Count);
    }

    [Fact]
    public void The_component_decides_what_is_required()
    {
        using var agent = Provider(string.Empty, new ListLogger(), component: KuryrComponent.Agent);
        agent.GetRequiredService<IStartupValidator>().Validate();

        using var controller = Provider(string.Empty, new ListLogger(), component: KuryrComponent.Controller);
        var ex = Assert.Throws<KuryrConfigException>(() => controller.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(ex.Problems, p => p.Option == "pod_subnet");
    }

    [Fact]
    public void From_a_path_reads_the_file()
    {
        var path = Path.Combine(_dir, "kuryr.conf");
        File.WriteAllText(path, "[cni_daemon]\nsocket_path = /tmp/agent.sock\n");
        var services = new ServiceCollection();

        services.AddKuryrConfig(path, KuryrComponent.Agent);

        using var sp = services.BuildServiceProvider();
        Assert.Equal("/tmp/agent.sock", sp.GetRequiredService<IOptions<CniDaemonOptions>>().Value.SocketPath);
        Assert.Throws<KuryrConfigException>(() => new ServiceCollection().AddKuryrConfig(Path.Combine(_dir, "missing.conf")));
    }
}
