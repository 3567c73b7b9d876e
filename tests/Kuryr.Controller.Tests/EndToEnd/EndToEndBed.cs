using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Kubernetes.Crds;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Neutron.Subnets;
using Kuryr.Neutron.Trunks;
using Kuryr.Testing.Controller;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Kuryr.Controller.Tests.EndToEnd;

/// <summary>
/// One end-to-end test's world, all of it its own: a Neutron project (pod network, worker network,
/// a worker VM = parent port + trunk, a security group), a FaultProxy in front of Neutron that the
/// controllers talk through, a namespace (pods and the Lease), two Node objects (<c>pod_vif=neutron-vif</c>
/// bound to a registered OVS agent, <c>pod_vif=nested-vlan</c>), a Redis key prefix and a cluster id.
/// <see cref="Conf"/> writes the kuryr.conf of the REAL controller processes started by the test.
/// </summary>
public sealed class EndToEndBed : IAsyncDisposable
{
    private readonly List<ControllerProcess> _processes = [];

    private EndToEndBed(string prefix) => Project = new NeutronTestProject(prefix);

    public NeutronTestProject Project { get; }

    public KubeTestBed Kube { get; } = new();

    public IKubernetesClient Client { get; private set; } = null!;

    public FaultProxy Proxy { get; private set; } = null!;

    public ConnectionMultiplexer Redis { get; private set; } = null!;

    public string RedisPrefix { get; } = RedisTestBed.UniquePrefix("e2e");

    public string ClusterId { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..12];

    public string ClusterTag => "kuryr.node.cluster=" + ClusterId;

    public string Namespace { get; private set; } = "";

    public string BareMetalNode { get; } = KubeTestBed.UniqueName("e2e-bm");

    public string VmNode { get; } = KubeTestBed.UniqueName("e2e-vm");

    public Network PodNetwork { get; private set; } = null!;

    public Subnet PodSubnet { get; private set; } = null!;

    public Subnet WorkerSubnet { get; private set; } = null!;

    public string SecurityGroupId { get; private set; } = "";

    public string VmIp { get; private set; } = "";

    public string TrunkId { get; private set; } = "";

    public string BareMetalPool => $"{BareMetalNode}/{Project.ProjectId}/{PodNetwork.Id}";

    public string NestedPool => $"{VmIp}/{Project.ProjectId}/{PodNetwork.Id}";

    public static async Task<EndToEndBed> CreateAsync(string prefix)
    {
        var bed = new EndToEndBed(prefix);
        await bed.InitializeAsync();
        return bed;
    }

    private async Task InitializeAsync()
    {
        var env = await TestBedEnvironment.EnsureAsync("redis", "neutron", "kube");
        // The assertions SCAN synchronously; the default 1 s sync timeout ran out once on a loaded CI machine.
        Redis = await ConnectionMultiplexer.ConnectAsync(env["REDIS_ENDPOINT"] + ",syncTimeout=15000");
        await Project.InitializeAsync();
        await Kube.InitializeAsync();
        Client = KubernetesClientFactory.Create(KubeConfigLoader.Load(Kube.KubeConfigPath),
            new KubernetesClientOptions { Qps = 1000, Burst = 1000, RequestTimeout = 20 });
        await using (var sp = new ServiceCollection().AddLogging().AddSingleton(Client).AddKuryrCrdInstaller().BuildServiceProvider())
        {
            await sp.GetRequiredService<ICrdInstaller>().EnsureInstalledAsync();
        }

        Namespace = await Kube.CreateNamespaceAsync("e2e");
        (_, WorkerSubnet) = await Project.CreateNetworkAsync("10.91.0.0/24");
        (PodNetwork, PodSubnet) = await Project.CreateNetworkAsync("10.92.0.0/24");
        SecurityGroupId = (await Project.Admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = "e2e-pods", ProjectId = Project.ProjectId })).Id;
        var parent = await Project.Admin.CreatePortAsync(new PortCreate
        {
            NetworkId = WorkerSubnet.NetworkId,
            ProjectId = Project.ProjectId,
            FixedIps = [new FixedIpRequest { SubnetId = WorkerSubnet.Id }],
            Name = "e2e-vm-parent",
        });
        VmIp = parent.FixedIps[0].IpAddress!;
        TrunkId = (await Project.Admin.CreateTrunkAsync(new TrunkCreate { PortId = parent.Id, ProjectId = Project.ProjectId })).Id;
        await Project.Bed.RegisterOvsAgentAsync(BareMetalNode);
        await CreateNodeAsync(BareMetalNode, "neutron-vif");
        await CreateNodeAsync(VmNode, "nested-vlan");
        Proxy = await FaultProxy.StartAsync(Project.Bed.HeadersEndpoint);
    }

    private async Task CreateNodeAsync(string name, string podVif) =>
        await Client.CreateAsync(KubernetesResources.Nodes, new Node
        {
            Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["pod_vif"] = podVif } },
        });

    /// <summary>The kuryr.conf of this test's controllers (through the proxy; handlers restricted to the test's namespace).</summary>
    public ControllerConf Conf(int min = 2, int batch = 5, string multiVifDrivers = "noop", string extra = "",
        string mapping = "neutron-vif:neutron,nested-vlan:nested") => new()
        {
            KubeConfig = Kube.KubeConfigPath,
            LeaseNamespace = Namespace,
            WatchNamespace = Namespace,
            NeutronEndpoint = Proxy.BaseAddress,
            ProjectId = Project.ProjectId,
            PodSubnet = PodSubnet.Id,
            SecurityGroup = SecurityGroupId,
            RedisPrefix = RedisPrefix,
            VifPoolDriver = "multi_pool",
            EnabledHandlers = "vif,kuryrport",
            Extra = $"""
            [kubernetes]
            pod_vif_driver = neutron-vif
            multi_vif_drivers = {multiVifDrivers}
            wait_for_active_ports = false
            handler_workers = 4
            [neutron]
            user_id = kuryr-e2e-tests
            roles = admin
            requests_per_second = 0
            [neutron_defaults]
            cluster_id = {ClusterId}
            [pod_vif_nested]
            worker_nodes_subnets = {WorkerSubnet.Id}
            [vif_pool]
            ports_pool_min = {min}
            ports_pool_batch = {batch}
            ports_pool_max = 0
            ports_pool_update_frequency = 1
            vif_pool_mapping = {mapping}
            {extra}
            """,
        };

    /// <summary>Nodes made by <see cref="CreateMacvlanNodeAsync"/> (deleted with the bed).</summary>
    private readonly List<string> _extraNodes = [];

    /// <summary>
    /// A second worker VM for <c>pod_vif=nested-macvlan</c>: a plain VM port in the worker subnet
    /// (optionally a trunk parent, as in the local cluster) and its Node. Its own VM so that its
    /// noop pool key (VM IP/project/network) is not the nested-vlan pool's.
    /// </summary>
    public async Task<(string Node, string VmIp, string VmPortId)> CreateMacvlanNodeAsync(bool trunkParent = true)
    {
        var vm = await Project.Admin.CreatePortAsync(new PortCreate
        {
            NetworkId = WorkerSubnet.NetworkId,
            ProjectId = Project.ProjectId,
            FixedIps = [new FixedIpRequest { SubnetId = WorkerSubnet.Id }],
            Name = "e2e-macvlan-vm",
        });
        if (trunkParent)
        {
            await Project.Admin.CreateTrunkAsync(new TrunkCreate { PortId = vm.Id, ProjectId = Project.ProjectId });
        }

        var node = KubeTestBed.UniqueName("e2e-mv");
        await CreateNodeAsync(node, "nested-macvlan");
        _extraNodes.Add(node);
        return (node, vm.FixedIps[0].IpAddress!, vm.Id);
    }

    public ControllerProcess Start(ControllerConf conf, string identity)
    {
        var p = ControllerProcess.Start(conf, identity);
        _processes.Add(p);
        return p;
    }

    /// <summary>A pod bound to <paramref name="node"/> with status.hostIP set through pods/status.</summary>
    public async Task<Pod> CreatePodAsync(string node, string hostIp, string? name = null, Dictionary<string, string>? annotations = null)
    {
        var pod = await Client.CreateAsync(KubernetesResources.Pods, new Pod
        {
            Metadata = new ObjectMeta { Name = name ?? KubeTestBed.UniqueName("p"), Namespace = Namespace, Annotations = annotations },
            Spec = new PodSpec { NodeName = node, Containers = [new Container { Name = "c", Image = "busybox" }] },
        });
        return await Client.PatchStatusAsync(KubernetesResources.Pods, Namespace, pod.Metadata.Name!,
            KubernetesPatch.Merge(new JsonObject { ["status"] = new JsonObject { ["hostIP"] = hostIp, ["phase"] = "Pending" } }));
    }

    public async Task DeletePodAsync(string name)
    {
        try
        {
            await Client.DeleteAsync(KubernetesResources.Pods, Namespace, name, new DeleteOptions { GracePeriodSeconds = 0 });
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
        }
    }

    public async Task<KuryrPort?> KuryrPortAsync(string pod)
    {
        try
        {
            return await Client.GetAsync(KubernetesResources.KuryrPorts, Namespace, pod);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<List<KuryrPort>> KuryrPortsAsync() => (await Client.ListAsync(KubernetesResources.KuryrPorts, Namespace)).Items.ToList();

    public async Task<List<Pod>> PodsAsync() => (await Client.ListAsync(KubernetesResources.Pods, Namespace)).Items.ToList();

    /// <summary>The ports Neutron holds with this test's cluster tag (one listing).</summary>
    public async Task<List<Port>> TaggedPortsAsync()
    {
        var ports = new List<Port>();
        await foreach (var port in Project.Admin.ListPortsAsync(new PortFilter { ProjectId = Project.ProjectId, Tags = [ClusterTag] }))
        {
            ports.Add(port);
        }

        return ports;
    }

    /// <summary>Port id → state in Redis for every pool of this test's prefix.</summary>
    public async Task<Dictionary<string, (string Pool, string State)>> RedisStatesAsync()
    {
        var db = Redis.GetDatabase();
        var result = new Dictionary<string, (string, string)>();
        foreach (var pool in await db.SetMembersAsync(RedisPrefix + ":pools"))
        {
            foreach (var e in await db.HashGetAllAsync($"{RedisPrefix}:pool:{{{pool}}}:state"))
            {
                Assert.True(result.TryAdd(e.Name!, (pool!, e.Value!)), $"port {e.Name} is in two pools");
            }
        }

        return result;
    }

    /// <summary>Bulk POST /v2.0/ports requests the proxy forwarded: the number of ports in each body.</summary>
    public List<int> BulkPosts() => [.. BulkPostRequests().Select(r => JsonNode.Parse(r.Body)!["ports"]?.AsArray().Count ?? 1)];

    public List<ProxiedRequest> BulkPostRequests() => [.. Proxy.Requests
        .Where(r => r.Method == "POST" && r.Path.EndsWith("/ports", StringComparison.Ordinal))];

    /// <summary>The timestamp of the first line of <paramref name="p"/>'s log containing <paramref name="text"/>
    /// (the console logger's <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> prefix), waiting a little for the pipe.</summary>
    public async Task<DateTimeOffset> LoggedAtAsync(ControllerProcess p, string text)
    {
        string? line = null;
        await EventuallyAsync(() => Task.FromResult((line = p.Output.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))) is not null),
            $"{p.Identity} to log \"{text}\"", 10);
        return DateTimeOffset.ParseExact(line![..line!.IndexOf(' ', StringComparison.Ordinal)], "yyyy-MM-ddTHH:mm:ss.fffZ",
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
    }

    public int PortDeletes() => Proxy.Count("DELETE", "/ports/[^/]+$");

    public int AddSubports() => Proxy.Count("PUT", "/trunks/[^/]+/add_subports$");

    public static string VifField(KuryrPortVif vif, string field) => vif.Vif!["versioned_object.data"]![field]!.ToString();

    public static JsonNode Sources(KuryrPort kp) => JsonNode.Parse(kp.Metadata.Annotations![KuryrConstants.VifSourcesAnnotation])!;

    /// <summary>Polls until <paramref name="condition"/> holds; on time-out fails with the controllers' output.</summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, string what, double seconds = 60)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (sw.Elapsed.TotalSeconds > seconds)
            {
                Assert.Fail($"timed out after {seconds} s waiting for {what}\n" + Outputs());
            }

            await Task.Delay(200);
        }
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The Lease's holderIdentity (null: none).</summary>
    public async Task<string?> LeaseHolderAsync()
    {
        try
        {
            var lease = await Client.GetAsync(KubernetesResources.Leases, Namespace, "kuryr-controller");
            return lease.Spec?.HolderIdentity;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Waits until <paramref name="p"/> holds the Lease and its /ready answers 200 (pools recovered).</summary>
    public async Task WaitLeadingAndReadyAsync(ControllerProcess p, double seconds = 60) =>
        await EventuallyAsync(async () =>
        {
            Assert.False(p.HasExited, p.Identity + " exited\n" + Outputs());
            if (await LeaseHolderAsync() != p.Identity)
            {
                return false;
            }

            using var r = await Http.GetAsync(new Uri(p.Health, "ready"));
            return r.IsSuccessStatusCode;
        }, p.Identity + " leading and ready", seconds);

    /// <summary>The sum of <c>kuryr_controller_handler_events_total</c> of <paramref name="handler"/> on /metrics.</summary>
    public static async Task<double> HandlerEventsAsync(ControllerProcess p, string handler)
    {
        var text = await Http.GetStringAsync(new Uri(p.Metrics, "metrics"));
        return text.Split('\n')
            .Where(l => l.StartsWith("kuryr_controller_handler_events_total{", StringComparison.Ordinal) && l.Contains($"handler=\"{handler}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The tagged port count once two listings 1.5 s apart agree (a bulk create cut by a SIGKILL may still complete in Neutron).</summary>
    public async Task<int> StableTaggedCountAsync()
    {
        var last = (await TaggedPortsAsync()).Count;
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(1500);
            var now = (await TaggedPortsAsync()).Count;
            if (now == last)
            {
                return now;
            }

            last = now;
        }

        throw new TimeoutException("the tagged port count kept changing");
    }

    public string Outputs() => string.Join("\n----\n", _processes.Select(p => p.Identity + ":\n" + Tail(p.Output)));

    private static string Tail(string s) => s.Length > 20000 ? s[^20000..] : s;

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            if (!p.HasExited)
            {
                p.Kill();
            }

            await p.DisposeAsync();
        }

        // Pods and KuryrPorts: strip finalizers (no controller runs any more), then delete.
        try
        {
            foreach (var kp in await KuryrPortsAsync())
            {
                await Client.PatchAsync(KubernetesResources.KuryrPorts, Namespace, kp.Metadata.Name!,
                    KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }));
            }

            foreach (var pod in await PodsAsync())
            {
                await Client.PatchAsync(KubernetesResources.Pods, Namespace, pod.Metadata.Name!,
                    KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }));
                await DeletePodAsync(pod.Metadata.Name!);
            }

            foreach (var node in new[] { BareMetalNode, VmNode }.Concat(_extraNodes))
            {
                await Client.DeleteAsync(KubernetesResources.Nodes, null, node, new DeleteOptions { GracePeriodSeconds = 0 });
            }
        }
        catch (KubernetesApiException)
        {
            // Best effort: the namespace is unique.
        }

        await Proxy.DisposeAsync();
        await Project.DisposeAsync();
        var db = Redis.GetDatabase();
        foreach (var endpoint in Redis.GetEndPoints())
        {
            foreach (var key in Redis.GetServer(endpoint).Keys(pattern: RedisPrefix + ":*"))
            {
                await db.KeyDeleteAsync(key);
            }
        }

        Redis.Dispose();
    }
}
