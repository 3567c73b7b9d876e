using Kuryr.Config.Options;
using Kuryr.Controller.MultiVif;
using Kuryr.Controller.PodNetwork;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Kubernetes.Crds;
using Kuryr.Kubernetes.Events;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Subnets;
using Kuryr.Pools.DependencyInjection;
using Kuryr.Pools.Manager;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.Tests.MultiVif;

/// <summary>
/// The multi-VIF drivers composed as the controller composes them, against the REAL kube-apiserver
/// (Kuryr's CRDs incl. NetworkAttachmentDefinition, a fresh namespace), the REAL neutron-server (a
/// fresh project with a default and two extra networks, one OVS-bound host; a counting proxy) and
/// the REAL Redis (own key prefix, own cluster id). Pools: <c>neutron</c>, batch 2, min 0.
/// </summary>
public sealed class MultiVifBed : IAsyncLifetime
{
    public const string Collection = "multi-vif";

    private readonly RedisTestBed _redis = new();
    private ServiceProvider _provider = null!;

    public NeutronTestProject Project { get; } = new("kmv");

    public KubeTestBed Kube { get; } = new();

    public IKubernetesClient KubeClient { get; private set; } = null!;

    public FaultProxy Proxy { get; private set; } = null!;

    public string Namespace { get; private set; } = "";

    public string Host { get; } = "mvnode-" + Guid.NewGuid().ToString("N")[..10];

    public string ClusterId { get; } = "mv-" + Guid.NewGuid().ToString("N")[..10];

    public (Network Network, Subnet Subnet) Default { get; private set; }

    public (Network Network, Subnet Subnet) Extra { get; private set; }

    public (Network Network, Subnet Subnet) Extra2 { get; private set; }

    /// <summary>The worker VMs' subnet (<c>[pod_vif_nested] worker_nodes_subnets</c>).</summary>
    public (Network Network, Subnet Subnet) Workers { get; private set; }

    public IServiceProvider Services => _provider;

    public INeutronClient Neutron => Project.Admin;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        await Project.InitializeAsync();
        await Kube.InitializeAsync();
        KubeClient = KubernetesClientFactory.Create(KubeConfigLoader.Load(Kube.KubeConfigPath),
            new KubernetesClientOptions { Qps = 1000, Burst = 1000, RequestTimeout = 20 });
        await using (var sp = new ServiceCollection().AddLogging().AddSingleton(KubeClient).AddKuryrCrdInstaller().BuildServiceProvider())
        {
            await sp.GetRequiredService<ICrdInstaller>().EnsureInstalledAsync();
        }

        Namespace = await Kube.CreateNamespaceAsync("multivif");
        Default = await Project.CreateNetworkAsync("10.81.0.0/24");
        Extra = await Project.CreateNetworkAsync("10.82.0.0/24");
        Extra2 = await Project.CreateNetworkAsync("10.83.0.0/24");
        Workers = await Project.CreateNetworkAsync("10.84.0.0/24");
        await Project.Bed.RegisterOvsAgentAsync(Host);
        Proxy = await FaultProxy.StartAsync(Project.Bed.HeadersEndpoint);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddNeutronClient(o =>
        {
            o.AuthType = "noauth";
            o.EndpointOverride = Proxy.BaseAddress.ToString();
            o.ProjectId = Project.ProjectId;
            o.UserId = "kuryr-multivif-tests";
            o.Roles = ["admin"];
            o.RequestsPerSecond = 0;
        });
        services.Configure<KubernetesOptions>(o =>
        {
            o.VifPoolDriver = "neutron";
            o.PodVifDriver = "neutron-vif";
        });
        services.Configure<VifPoolOptions>(o =>
        {
            o.PortsPoolMin = 0;
            o.PortsPoolBatch = 2;
        });
        services.Configure<NeutronDefaultsOptions>(o =>
        {
            o.ClusterId = ClusterId;
            o.Project = Project.ProjectId;
            o.PodSubnet = Default.Subnet.Id;
        });
        services.Configure<PodVifNestedOptions>(o => o.WorkerNodesSubnets = [Workers.Subnet.Id]);
        services.Configure<RedisOptions>(o =>
        {
            o.Endpoints = [_redis.Endpoint];
            o.KeyPrefix = RedisTestBed.UniquePrefix("mv");
        });
        services.AddSingleton(KubeClient);
        services.AddEventRecorder("kuryr-controller");
        services.AddKuryrPools();
        services.AddKuryrMultiVifDrivers();
        _provider = services.BuildServiceProvider();
        _provider.GetRequiredService<IPoolReadiness>().MarkRecovered();
    }

    public async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        await Project.DisposeAsync();
        KubeClient?.Dispose();
    }

    public IMultiVifDriver Driver(string name) => _provider.GetServices<IMultiVifDriver>().Single(d => d.Name == name);

    /// <summary>A pod on <see cref="Host"/> with <paramref name="annotations"/>, created in the API server.</summary>
    public Task<Pod> CreatePodAsync(string prefix, Dictionary<string, string> annotations) =>
        KubeClient.CreateAsync(KubernetesResources.Pods, new Pod
        {
            Metadata = new ObjectMeta { Name = KubeTestBed.UniqueName(prefix), Namespace = Namespace, Annotations = annotations },
            Spec = new PodSpec { NodeName = Host, Containers = [new Container { Name = "c", Image = "busybox" }] },
        });

    public Task<NetworkAttachmentDefinition> CreateNadAsync(string name, string? kuryrConfig)
    {
        var annotations = kuryrConfig is null ? null : new Dictionary<string, string> { [KuryrConstants.NadKuryrConfigAnnotation] = kuryrConfig };
        return KubeClient.CreateAsync(KubernetesResources.NetworkAttachmentDefinitions, new NetworkAttachmentDefinition
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Namespace, Annotations = annotations },
            Spec = new NetworkAttachmentDefinitionSpec { Config = """{"cniVersion":"0.3.1","name":"kuryr","type":"kuryr-cni"}""" },
        });
    }

    public MultiVifContext Context(Pod pod) =>
        new(pod, new PodNetworkInfo(Project.ProjectId, Default.Subnet.Id, Default.Network.Id, SecurityGroupSet.Default), 1, "eth");

    /// <summary>The Warning events recorded about <paramref name="pod"/> (read back from the API server).</summary>
    public async Task<List<Event>> EventsAsync(Pod pod)
    {
        var list = await KubeClient.ListAsync(KubernetesResources.Events, Namespace,
            new ListOptions { FieldSelector = $"involvedObject.name={pod.Metadata.Name}" });
        return [.. list.Items.Where(e => e.Type == EventTypes.Warning)];
    }
}

[CollectionDefinition(MultiVifBed.Collection)]
public sealed class MultiVifBedGroup : ICollectionFixture<MultiVifBed>;
