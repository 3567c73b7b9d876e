using Kuryr.Controller.Handlers.KuryrNetworks;
using Kuryr.Controller.Handlers.Namespaces;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Events;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron.Routers;
using Kuryr.Neutron.SubnetPools;
using Kuryr.Pools;
using Kuryr.Pools.DependencyInjection;
using Kuryr.Pools.Manager;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.Tests.Handlers.KuryrNetworks;

[CollectionDefinition(Collection)]
public sealed class NamespaceNetworkGroup : ICollectionFixture<NamespaceNetworkBed>
{
    public const string Collection = "namespace-networks";
}

/// <summary>
/// The real controller composition for the namespace handlers (a kuryr.conf text through
/// <c>AddKuryrConfig</c>, <c>AddNeutronClient</c>, <c>AddKubernetesClient</c>, <c>AddKuryrPools</c>,
/// <c>AddEventRecorder</c>, <c>AddKuryrNamespaceHandlers</c>) against the real neutron-server (a
/// fresh project with one subnet pool and one router), kube-apiserver and Redis (own key prefix).
/// Two nodes carry a <c>pod_vif</c> value of their own, mapped to the neutron pool driver.
/// </summary>
public sealed class NamespaceNetworkBed : IAsyncLifetime
{
    private readonly RedisTestBed _redis = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("kns-").FullName;
    private readonly List<ServiceProvider> _providers = [];

    public NeutronTestProject Project { get; } = new("kns");

    public KubeTestBed Kube { get; } = new();

    public SubnetPool SubnetPool { get; private set; } = null!;

    public Router Router { get; private set; } = null!;

    public string PodVif { get; } = "kns-" + Guid.NewGuid().ToString("N")[..8];

    public string[] Hosts { get; } = [$"knode-{Guid.NewGuid():N}"[..16] + "-a", $"knode-{Guid.NewGuid():N}"[..16] + "-b"];

    public ServiceProvider Services { get; private set; } = null!;

    public IKubernetesClient KubeClient => Services.GetRequiredService<IKubernetesClient>();

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        await Project.InitializeAsync();
        await Kube.InitializeAsync();
        SubnetPool = await Project.Admin.CreateSubnetPoolAsync(new SubnetPoolCreate
        {
            Name = "kns-pool",
            Prefixes = ["10.96.0.0/16"],
            DefaultPrefixLength = 27,
            ProjectId = Project.ProjectId,
        });
        Router = await Project.Admin.CreateRouterAsync(new RouterCreate { Name = "kns-router", ProjectId = Project.ProjectId });
        await Project.Bed.RegisterOvsAgentAsync(Hosts);
        Services = Build();
        await using (var sp = new ServiceCollection().AddLogging().AddSingleton(KubeClient).AddKuryrCrdInstaller().BuildServiceProvider())
        {
            await sp.GetRequiredService<Kuryr.Kubernetes.Crds.ICrdInstaller>().EnsureInstalledAsync();
        }

        foreach (var host in Hosts)
        {
            await KubeClient.CreateAsync(KubernetesResources.Nodes, new Node
            {
                Metadata = new ObjectMeta { Name = host, Labels = new Dictionary<string, string> { ["pod_vif"] = PodVif } },
            });
        }
    }

    /// <summary>A controller container; <paramref name="extra"/> is appended to the kuryr.conf text.</summary>
    public ServiceProvider Build(string extra = "", bool subnetPool = true, bool router = true)
    {
        var conf = $"""
            [kubernetes]
            pod_subnets_driver = namespace
            enabled_handlers = namespace,kuryrnetwork,kuryrnetwork_population
            vif_pool_driver = neutron
            pod_vif_driver = neutron-vif
            [vif_pool]
            ports_pool_batch = 2
            ports_pool_min = 1
            [neutron_defaults]
            project = {Project.ProjectId}
            cluster_id = kns-tests
            [namespace_subnet]
            {(subnetPool ? "pod_subnet_pool = " + SubnetPool.Id : "")}
            {(router ? "pod_router = " + Router.Id : "")}
            [neutron]
            auth_type = noauth
            endpoint_override = {Project.Bed.HeadersEndpoint}
            project_id = {Project.ProjectId}
            user_id = kuryr-controller-tests
            roles = admin
            requests_per_second = 0
            [redis]
            endpoints = {_redis.Endpoint}
            key_prefix = {RedisTestBed.UniquePrefix("kns")}
            {extra}
            """;
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".conf");
        File.WriteAllText(path, conf);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKuryrConfig(path);
        // The test nodes' own pod_vif value (kuryr.conf only accepts Kuryr's driver names), so the
        // population never touches nodes other tests create on the shared API server.
        services.PostConfigure<Kuryr.Config.Options.VifPoolOptions>(o => o.VifPoolMapping = new Dictionary<string, string> { [PodVif] = "neutron" });
        services.AddNeutronClient();
        services.AddKubernetesClient(o => o.KubeConfig = Kube.KubeConfigPath);
        services.AddKuryrPools();
        services.AddEventRecorder("kuryr-controller");
        services.AddKuryrNamespaceHandlers();
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IPoolReadiness>().MarkRecovered();
        _providers.Add(provider);
        return provider;
    }

    internal static NamespaceHandler NamespaceHandler(IServiceProvider sp) => sp.GetRequiredService<NamespaceHandler>();

    internal static NamespacePodHandler PodHandler(IServiceProvider sp) => sp.GetRequiredService<NamespacePodHandler>();

    internal static KuryrNetworkHandler NetworkHandler(IServiceProvider sp) => sp.GetRequiredService<KuryrNetworkHandler>();

    internal static KuryrNetworkPopulationHandler PopulationHandler(IServiceProvider sp) => sp.GetRequiredService<KuryrNetworkPopulationHandler>();

    internal static NamespaceSubnetDriver Driver(IServiceProvider sp) => sp.GetRequiredService<NamespaceSubnetDriver>();

    public IVifPool Pool => Services.GetRequiredService<IVifPool>();

    public IPoolStateStore Store => Services.GetRequiredService<IPoolStateStore>();

    public async Task DisposeAsync()
    {
        foreach (var host in Hosts)
        {
            try
            {
                await KubeClient.DeleteAsync(KubernetesResources.Nodes, null, host);
            }
            catch (KubernetesApiException)
            {
            }
        }

        await Project.DisposeAsync(); // router interfaces, ports, networks (with their subnets)
        await Services.GetRequiredService<Kuryr.Neutron.INeutronClient>().DeleteSubnetPoolAsync(SubnetPool.Id); // after its subnets went
        foreach (var p in _providers)
        {
            await p.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
