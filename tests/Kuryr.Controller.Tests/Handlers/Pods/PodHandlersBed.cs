using System.Text;
using System.Text.Json.Nodes;
using Kuryr.Controller.Handlers.KuryrPorts;
using Kuryr.Controller.Handlers.Pods;
using Kuryr.Controller.MultiVif;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Crds;
using Kuryr.Kubernetes.Events;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Subnets;
using Kuryr.Neutron.Trunks;
using Kuryr.Pools.DependencyInjection;
using Kuryr.Pools.Manager;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.Tests.Handlers.Pods;

/// <summary>
/// Class fixture on the REAL kube-apiserver (Kuryr CRDs, a fresh namespace, two Node objects: one
/// labelled <c>pod_vif=neutron-vif</c>, one <c>nested-vlan</c>), the REAL neutron-server (a fresh
/// project with a pod subnet, a worker subnet and a worker VM = parent port + trunk) and Redis.
/// <see cref="Compose"/> builds a controller's DI container from a kuryr.conf text.
/// </summary>
public sealed class PodHandlersBed : IAsyncLifetime
{
    private readonly RedisTestBed _redis = new();
    private readonly List<string> _dirs = [];

    public NeutronTestProject Project { get; } = new("kpods");

    public KubeTestBed Kube { get; } = new();

    public string Namespace { get; private set; } = "";

    public string BareMetalNode { get; } = KubeTestBed.UniqueName("kpods-bm");

    public string VmNode { get; } = KubeTestBed.UniqueName("kpods-vm");

    public Network PodNetwork { get; private set; } = null!;

    public Subnet PodSubnet { get; private set; } = null!;

    public Subnet WorkerSubnet { get; private set; } = null!;

    /// <summary>The VM's parent port IP (the nested pool host and the pod's status.hostIP).</summary>
    public string VmIp { get; private set; } = "";

    public string TrunkId { get; private set; } = "";

    public INeutronClient Admin => Project.Admin;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        await Project.InitializeAsync();
        await Kube.InitializeAsync();
        await using (var sp = BaseServices().AddKuryrCrdInstaller().BuildServiceProvider())
        {
            await sp.GetRequiredService<ICrdInstaller>().EnsureInstalledAsync();
        }

        Namespace = await Kube.CreateNamespaceAsync("kpods");
        (_, WorkerSubnet) = await Project.CreateNetworkAsync("10.61.0.0/24");
        (PodNetwork, PodSubnet) = await Project.CreateNetworkAsync("10.62.0.0/24");
        var parent = await Admin.CreatePortAsync(new PortCreate
        {
            NetworkId = WorkerSubnet.NetworkId,
            ProjectId = Project.ProjectId,
            FixedIps = [new FixedIpRequest { SubnetId = WorkerSubnet.Id }],
            Name = "kpods-vm-parent",
        });
        VmIp = parent.FixedIps[0].IpAddress!;
        TrunkId = (await Admin.CreateTrunkAsync(new TrunkCreate { PortId = parent.Id, ProjectId = Project.ProjectId })).Id;
        await Project.Bed.RegisterOvsAgentAsync(BareMetalNode);
        await CreateNodeAsync(BareMetalNode, "neutron-vif");
        await CreateNodeAsync(VmNode, "nested-vlan");
    }

    public async Task DisposeAsync()
    {
        using (var http = Kube.CreateHttpClient())
        {
            foreach (var node in new[] { BareMetalNode, VmNode })
            {
                using var _ = await http.DeleteAsync(new Uri(Kube.Server, "/api/v1/nodes/" + node));
            }
        }

        await Project.DisposeAsync();
        foreach (var dir in _dirs)
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private ServiceCollection BaseServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKubernetesClient(o => { o.KubeConfig = Kube.KubeConfigPath; o.Qps = 1000; o.Burst = 1000; });
        return services;
    }

    private async Task CreateNodeAsync(string name, string podVif)
    {
        using var http = Kube.CreateHttpClient();
        using var content = new StringContent(
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"pod_vif\":\"" + podVif + "\"}}}",
            Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(Kube.Server, "/api/v1/nodes"), content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A controller's container from a kuryr.conf (pools marked recovered); its own Redis prefix.</summary>
    public ServiceProvider Compose(bool waitForActivePorts, string extraKubernetes = "")
    {
        var dir = Path.Combine(Path.GetTempPath(), "kpods-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        _dirs.Add(dir);
        var conf = Path.Combine(dir, "kuryr.conf");
        File.WriteAllText(conf, $"""
            [kubernetes]
            pod_vif_driver = neutron-vif
            vif_pool_driver = multi_pool
            multi_vif_drivers = noop
            wait_for_active_ports = {(waitForActivePorts ? "true" : "false")}
            {extraKubernetes}

            [neutron_defaults]
            project = {Project.ProjectId}
            pod_subnet = {PodSubnet.Id}
            cluster_id = kpods-{Guid.NewGuid():N}

            [pod_vif_nested]
            worker_nodes_subnets = {WorkerSubnet.Id}

            [vif_pool]
            ports_pool_batch = 2
            ports_pool_min = 1
            ports_pool_max = 0
            vif_pool_mapping = neutron-vif:neutron,nested-vlan:nested

            [redis]
            endpoints = {_redis.Endpoint}
            key_prefix = {RedisTestBed.UniquePrefix("kpods")}

            [neutron]
            auth_type = noauth
            endpoint_override = {Project.Bed.HeadersEndpoint}
            project_id = {Project.ProjectId}
            user_id = kuryr-pods-tests
            roles = admin
            requests_per_second = 0
            """);
        var services = BaseServices();
        services.AddKuryrConfig(conf);
        services.AddNeutronClient();
        services.AddKuryrPools();
        services.AddEventRecorder("kuryr-controller");
        services.AddKuryrMultiVifDrivers();
        services.AddKuryrPodHandlers();
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IPoolReadiness>().MarkRecovered();
        return provider;
    }

    /// <summary>A pod bound to <paramref name="node"/> (and, when given, with status.hostIP).</summary>
    public async Task<Pod> CreatePodAsync(IKubernetesClient client, string node, string? hostIp, string? name = null)
    {
        var pod = await client.CreateAsync(KubernetesResources.Pods, new Pod
        {
            Metadata = new ObjectMeta { Name = name ?? KubeTestBed.UniqueName("p"), Namespace = Namespace },
            Spec = new PodSpec { NodeName = node, Containers = [new Container { Name = "c", Image = "busybox" }] },
        });
        if (hostIp is not null)
        {
            pod = await client.PatchStatusAsync(KubernetesResources.Pods, Namespace, pod.Metadata.Name!,
                KubernetesPatch.Merge(new JsonObject { ["status"] = new JsonObject { ["hostIP"] = hostIp, ["phase"] = "Pending" } }));
        }

        return pod;
    }

    /// <summary>Strips every finalizer and deletes at once (a force delete).</summary>
    public static async Task ForceDeletePodAsync(IKubernetesClient client, Pod pod)
    {
        await client.PatchAsync(KubernetesResources.Pods, pod.Metadata.Namespace, pod.Metadata.Name!,
            KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }));
        try
        {
            await client.DeleteAsync(KubernetesResources.Pods, pod.Metadata.Namespace, pod.Metadata.Name!, new DeleteOptions { GracePeriodSeconds = 0 });
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
        }
    }
}

/// <summary>Handlers and clients of one composed controller.</summary>
internal sealed class Controller(ServiceProvider provider) : IAsyncDisposable
{
    public IServiceProvider Services => provider;

    public VifHandler Vif => provider.GetRequiredService<VifHandler>();

    public KuryrPortHandler KuryrPort => provider.GetRequiredService<KuryrPortHandler>();

    public IKubernetesClient Client => provider.GetRequiredService<IKubernetesClient>();

    public IEventRecorder Events => provider.GetRequiredService<IEventRecorder>();

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
