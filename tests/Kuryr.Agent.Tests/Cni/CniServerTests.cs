using System.Text.Json.Nodes;
using Kuryr.Agent.Binding;
using Kuryr.Agent.Vifs;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Testing.Agent;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Kuryr.Agent.Tests.Cni;

/// <summary>
/// The agent's CNI server over its REAL unix socket, in the real composition (kube-apiserver,
/// Redis); only the binding is a recording double here.
/// </summary>
public sealed class CniServerTests(KubeTestBed kube, RedisTestBed redis)
    : IClassFixture<KubeTestBed>, IClassFixture<RedisTestBed>, IAsyncLifetime
{
    private readonly string _node = KubeTestBed.UniqueName("cni-node");
    private readonly RecordingVifPlugger _plugger = new();
    private AgentConf _conf = null!;
    private AgentHost _agent = null!;
    private AgentSocketClient _client = null!;
    private string _ns = "";

    private IKubernetesClient Api => _agent.Services.GetRequiredService<IKubernetesClient>();

    private IDatabase Redis => _agent.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    public async Task InitializeAsync()
    {
        _ns = await kube.CreateNamespaceAsync("agent-cni");
        _conf = new AgentConf { KubeConfig = kube.KubeConfigPath, RedisEndpoint = redis.Endpoint, VifAnnotationTimeoutSeconds = 3 };
        _agent = await AgentHost.StartAsync(_conf.ToIni(), _node, s => s.AddSingleton<IVifPlugger>(_plugger));
        using var synced = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _agent.Services.GetRequiredService<IVifRegistry>().WaitForSyncAsync(synced.Token);
        _client = new AgentSocketClient(_conf.SocketPath);
        await Api.CreateAsync(KubernetesResources.Nodes, new Node { Metadata = new ObjectMeta { Name = _node } });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        try
        {
            await Api.DeleteAsync(KubernetesResources.Nodes, null, _node);
            await Api.DeleteAsync(KubernetesResources.Namespaces, null, _ns);
        }
        catch (KubernetesApiException)
        {
        }

        foreach (var key in new[] { $"{_conf.RedisPrefix}:pools", $"{_conf.RedisPrefix}:pool:{{{_node}/p/n}}:counts" })
        {
            await Redis.KeyDeleteAsync(key);
        }

        await _agent.DisposeAsync();
        Directory.Delete(_conf.Directory, recursive: true);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_socket_is_a_socket_with_mode_0660()
    {
        Assert.True(OperatingSystem.IsLinux());
        var info = new FileInfo(_conf.SocketPath);
        Assert.True(info.Exists);
        Assert.True(info.Attributes.HasFlag(FileAttributes.System) || (File.GetAttributes(_conf.SocketPath) & FileAttributes.Directory) == 0);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(_conf.SocketPath));
    }

    [Fact]
    public async Task Add_waits_for_the_kuryrport_plugs_and_answers_the_cni_result_then_del_unplugs_with_the_recorded_vifs()
    {
        var uid = Guid.NewGuid().ToString();
        var vif = AgentTestVifs.Ovs("10.77.0.21");
        var add = _client.PostAsync("add", AgentSocketClient.Request("ADD", "ctr-1", "/var/run/netns/x1", "eth0", _ns, "pod-1", uid));
        await Task.Delay(300);
        await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "pod-1", uid, _node, vif));

        var (status, body) = await add;
        Assert.Equal(200, status);
        Assert.Equal("1.0.0", body!["cniVersion"]!.GetValue<string>());
        var iface = body["interfaces"]![0]!;
        Assert.Equal("eth0", iface["name"]!.GetValue<string>());
        Assert.Equal(vif.Address, iface["mac"]!.GetValue<string>());
        Assert.Equal("/var/run/netns/x1", iface["sandbox"]!.GetValue<string>());
        Assert.Equal("10.77.0.21/24", body["ips"]![0]!["address"]!.GetValue<string>());
        Assert.Equal("10.77.0.1", body["ips"]![0]!["gateway"]!.GetValue<string>());
        var plug = Assert.Single(_plugger.Plugs);
        Assert.Equal(("ctr-1", "/var/run/netns/x1", "eth0", uid), (plug.ContainerId, plug.NetnsPath, plug.DefaultInterfaceName, plug.PodUid));
        Assert.Equal(vif.Id, Assert.Single(plug.Vifs).Vif.Id);

        // The KuryrPort is gone before the DEL (pod force-deleted): the local record still names the VIFs.
        await Api.DeleteAsync(KubernetesResources.KuryrPorts, _ns, "pod-1");
        var (delStatus, _) = await _client.PostAsync("del", AgentSocketClient.Request("DEL", "ctr-1", "/var/run/netns/x1", "eth0", _ns, "pod-1", uid));
        Assert.Equal(204, delStatus);
        var unplug = Assert.Single(_plugger.Unplugs);
        Assert.Equal(vif.Id, Assert.Single(unplug.Vifs).Vif.Id);

        // Twice in a row: still success.
        Assert.Equal(204, (await _client.PostAsync("del", AgentSocketClient.Request("DEL", "ctr-1", "", "eth0"))).Status);
    }

    [Fact]
    public async Task Add_for_a_pod_without_vifs_times_out_with_try_again_later_naming_the_pod()
    {
        var (status, body) = await _client.PostAsync("add", AgentSocketClient.Request("ADD", "ctr-2", "/var/run/netns/x2", "eth0", _ns, "nobody", Guid.NewGuid().ToString()));
        Assert.Equal(503, status);
        Assert.Equal(11, body!["code"]!.GetValue<int>());
        Assert.Contains(_ns + "/nobody", body["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_plugger.Plugs);
    }

    [Fact]
    public async Task Add_without_the_pod_name_is_an_error_naming_the_variable()
    {
        var (status, body) = await _client.PostAsync("add", AgentSocketClient.Request("ADD", "ctr-3", "/var/run/netns/x3", "eth0", _ns));
        Assert.Equal(400, status);
        Assert.Equal(4, body!["code"]!.GetValue<int>());
        Assert.Contains("K8S_POD_NAME", body["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_body_is_a_decode_error_not_a_crash()
    {
        var (status, body) = await _client.PostRawAsync("add", "{not json");
        Assert.Equal(400, status);
        Assert.Equal(6, body!["code"]!.GetValue<int>());
        Assert.Equal(204, (await _client.PostAsync("del", AgentSocketClient.Request("DEL", "ctr-x", null, "eth0"))).Status);
    }

    [Fact]
    public async Task Del_of_an_unknown_container_succeeds_and_still_asks_the_binding_to_clean_by_container()
    {
        var (status, body) = await _client.PostAsync("del", AgentSocketClient.Request("DEL", "never-seen", null, "eth0", _ns, "ghost", Guid.NewGuid().ToString()));
        Assert.True(status == 204, body?.ToJsonString());
        var unplug = Assert.Single(_plugger.Unplugs);
        Assert.Equal("never-seen", unplug.ContainerId);
        Assert.Empty(unplug.Vifs);
    }

    [Fact]
    public async Task Check_compares_through_the_binding_and_with_prev_result()
    {
        var uid = Guid.NewGuid().ToString();
        var vif = AgentTestVifs.Ovs("10.77.0.22");
        await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "pod-4", uid, _node, vif));
        var (addStatus, result) = await _client.PostAsync("add", AgentSocketClient.Request("ADD", "ctr-4", "/var/run/netns/x4", "eth0", _ns, "pod-4", uid));
        Assert.Equal(200, addStatus);

        var config = new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "kuryr", ["type"] = "kuryr-cni", ["prevResult"] = result!.DeepClone() };
        Assert.Equal(204, (await _client.PostAsync("check", AgentSocketClient.Request("CHECK", "ctr-4", "/var/run/netns/x4", "eth0", _ns, "pod-4", uid, config))).Status);
        Assert.Equal("/var/run/netns/x4", Assert.Single(_plugger.Checks).NetnsPath);

        _plugger.CheckProblems = ["eth0: address 10.77.0.22/24 missing"];
        var (status, body) = await _client.PostAsync("check", AgentSocketClient.Request("CHECK", "ctr-4", "/var/run/netns/x4", "eth0", _ns, "pod-4", uid, config));
        Assert.Equal(500, status);
        Assert.Contains("10.77.0.22/24 missing", body!["msg"]!.GetValue<string>(), StringComparison.Ordinal);

        // The result: eth0 in the sandbox first (ips index it), the host end after it without sandbox.
        Assert.Equal(["eth0", "tap0"], result["interfaces"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Null(result["interfaces"]![1]!["sandbox"]);
        Assert.Equal(0, result["ips"]![0]!["interface"]!.GetValue<int>());

        // CHECK validates against prevResult: the pod interface's MAC there (a chained tuning may have
        // changed it) goes to the binding; host-side entries (ours, bandwidth's ifb) are not pod interfaces.
        _plugger.CheckProblems = [];
        config["prevResult"]!["interfaces"]![0]!["mac"] = "00:00:00:00:00:01";
        config["prevResult"]!["interfaces"]!.AsArray().Add(new JsonObject { ["name"] = "bwp123", ["mac"] = "00:00:00:00:00:09" });
        Assert.Equal(204, (await _client.PostAsync("check", AgentSocketClient.Request("CHECK", "ctr-4", "/var/run/netns/x4", "eth0", _ns, "pod-4", uid, config))).Status);
        var expected = _plugger.Checks.Last().ExpectedMacs!;
        Assert.Equal("00:00:00:00:00:01", Assert.Single(expected, e => e.Key == "eth0").Value);
        Assert.Single(expected);

        // A prevResult whose eth0 is only a host-side entry lacks the pod interface.
        config["prevResult"]!["interfaces"]![0]!.AsObject().Remove("sandbox");
        var (status2, body2) = await _client.PostAsync("check", AgentSocketClient.Request("CHECK", "ctr-4", "/var/run/netns/x4", "eth0", _ns, "pod-4", uid, config));
        Assert.Equal(500, status2);
        Assert.Contains("prevResult lacks the pod interfaces eth0", body2!["msg"]!.GetValue<string>(), StringComparison.Ordinal);

        var (unknown, unknownBody) = await _client.PostAsync("check", AgentSocketClient.Request("CHECK", "ctr-none", "/var/run/netns/x4", "eth0", _ns, "pod-4", uid, config));
        Assert.Equal(404, unknown);
        Assert.Equal(3, unknownBody!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Status_is_50_while_the_nodes_pools_are_empty_and_ok_once_one_has_ports()
    {
        var (none, noneBody) = await _client.StatusAsync();
        Assert.Equal(503, none);
        Assert.Equal(50, noneBody!["code"]!.GetValue<int>());
        Assert.Contains("no ports pool for node " + _node, noneBody["msg"]!.GetValue<string>(), StringComparison.Ordinal);

        await Redis.SetAddAsync($"{_conf.RedisPrefix}:pools", _node + "/p/n");
        await Redis.HashSetAsync($"{_conf.RedisPrefix}:pool:{{{_node}/p/n}}:counts", "available", 0);
        var (empty, emptyBody) = await _client.StatusAsync();
        Assert.Equal(503, empty);
        Assert.Contains("empty", emptyBody!["msg"]!.GetValue<string>(), StringComparison.Ordinal);

        await Redis.HashSetAsync($"{_conf.RedisPrefix}:pool:{{{_node}/p/n}}:counts", "available", 2);
        Assert.Equal(204, (await _client.StatusAsync()).Status);
    }

    [Fact]
    public async Task Gc_unplugs_the_attachments_not_listed_as_valid()
    {
        var uidA = Guid.NewGuid().ToString();
        var uidB = Guid.NewGuid().ToString();
        await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "pod-a", uidA, _node, AgentTestVifs.Ovs("10.77.0.31")));
        await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "pod-b", uidB, _node, AgentTestVifs.Ovs("10.77.0.32")));
        Assert.Equal(200, (await _client.PostAsync("add", AgentSocketClient.Request("ADD", "ctr-a", "/var/run/netns/a", "eth0", _ns, "pod-a", uidA))).Status);
        Assert.Equal(200, (await _client.PostAsync("add", AgentSocketClient.Request("ADD", "ctr-b", "/var/run/netns/b", "eth0", _ns, "pod-b", uidB))).Status);

        var config = new JsonObject
        {
            ["cniVersion"] = "1.1.0",
            ["name"] = "kuryr",
            ["type"] = "kuryr-cni",
            ["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = "ctr-a", ["ifname"] = "eth0" }),
        };
        Assert.Equal(204, (await _client.PostAsync("gc", AgentSocketClient.Request("GC", "", null, "", config: config))).Status);
        var unplug = Assert.Single(_plugger.Unplugs);
        Assert.Equal(("ctr-b", "/var/run/netns/b"), (unplug.ContainerId, unplug.NetnsPath));

        var bad = (JsonObject)config.DeepClone();
        bad["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["ifname"] = "eth0" });
        var (status, body) = await _client.PostAsync("gc", AgentSocketClient.Request("GC", "", null, "", config: bad));
        Assert.Equal(400, status);
        Assert.Contains("containerID", body!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Thirty_concurrent_adds_all_succeed_with_their_own_vifs()
    {
        var pods = Enumerable.Range(0, 30).Select(i => (Name: "many-" + i, Uid: Guid.NewGuid().ToString(), Vif: AgentTestVifs.Ovs("10.77.1." + (i + 10)))).ToList();
        var adds = pods.Select(p => _client.PostAsync("add", AgentSocketClient.Request("ADD", "ctr-" + p.Name, "/var/run/netns/" + p.Name, "eth0", _ns, p.Name, p.Uid))).ToList();
        await Task.WhenAll(pods.Select(p => Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, p.Name, p.Uid, _node, p.Vif))));

        var results = await Task.WhenAll(adds);
        for (var i = 0; i < pods.Count; i++)
        {
            Assert.Equal(200, results[i].Status);
            Assert.Equal(pods[i].Vif.Address, results[i].Body!["interfaces"]![0]!["mac"]!.GetValue<string>());
        }

        Assert.Equal(30, _plugger.Plugs.Count);
    }

    [Fact]
    public async Task A_retried_add_and_a_del_of_the_same_container_never_run_at_the_same_time()
    {
        var uid = Guid.NewGuid().ToString();
        await Api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(_ns, "pod-r", uid, _node, AgentTestVifs.Ovs("10.77.2.5")));
        _plugger.Delay = TimeSpan.FromMilliseconds(300);
        var request = AgentSocketClient.Request("ADD", "ctr-r", "/var/run/netns/r", "eth0", _ns, "pod-r", uid);
        var calls = new[]
        {
            _client.PostAsync("add", request),
            _client.PostAsync("add", request),
            _client.PostAsync("del", AgentSocketClient.Request("DEL", "ctr-r", "/var/run/netns/r", "eth0", _ns, "pod-r", uid)),
        };
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.True(r.Status is 200 or 204, r.Body?.ToJsonString()));
        Assert.Equal(1, _plugger.MaxConcurrentPerContainer);
        Assert.Equal(0, _agent.Services.GetRequiredService<Kuryr.Agent.Cni.AttachmentLocks>().Count);
    }
}
