using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.LocalCluster.Cloud;
using Kuryr.LocalCluster.Console;
using Kuryr.LocalCluster.HostNet;
using Kuryr.LocalCluster.Kube;
using Kuryr.LocalCluster.Kubelet;
using Kuryr.LocalCluster.Options;
using Kuryr.LocalCluster.Processes;
using Kuryr.LocalCluster.Summary;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using StackExchange.Redis;

namespace Kuryr.LocalCluster.Scenario;

/// <summary>One node of the local cluster.</summary>
public sealed record ClusterNode(string Name, string PodVif, string HostIp, string? LinkIface)
{
    public KuryrProcess? Agent { get; set; }

    public CniChain? Chain { get; set; }
}

/// <summary>One pod and what the kubelet did for it.</summary>
public sealed record ClusterPod(ClusterNode Node, CniPod Cni)
{
    public bool Created { get; set; }

    public bool NetnsCreated { get; set; }

    public JsonObject? Result { get; set; }

    public string? Ip { get; set; }

    public string? Error { get; set; }

    public double? Latency { get; set; }

    /// <summary>Where the pod's time went, in order: API create, netns, each plugin's ADD.</summary>
    public List<(string Step, double Seconds)> Steps { get; } = [];
}

/// <summary>
/// The local cluster: OpenStack side, Kubernetes side, host side, the real controller and agents,
/// pods networked by the real CNI chain, pings, the summary; then waits and cleans everything up.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class LocalClusterScenario(
    LocalClusterOptions options,
    TestBedEnvironment env,
    string repoRoot,
    OpenStackSide openstack,
    KubeSide kube,
    ProgressOutput ui,
    ILogger<LocalClusterScenario> logger) : IDisposable
{
    public const string BareMetalNode = "local-bm-1";
    public const string NestedNode = "local-nested-1";
    public const string ClusterId = "kuryr-local";
    public const string RedisPrefix = "kuryr-local";

    private readonly List<ClusterNode> _nodes = [];
    private readonly List<ClusterPod> _pods = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private KuryrProcess? _controller;
    private ControllerEndpoints? _endpoints;
    private OpenStackResources? _cloud;
    private string? _namespace;
    private string _managementSocket = "";
    private string _controllerConf = "";

    private string RunDir => options.RunDir;

    private string? NestedDriver => _nodes.FirstOrDefault(n => n.LinkIface is not null)?.PodVif;

    /// <summary>Runs the scenario; returns the process exit code (0: every pod networked, every ping answered, no port left).</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        var ok = false;
        var leaked = -1;
        try
        {
            var summary = await SetUpAndMeasureAsync(stop).ConfigureAwait(false);
            ok = summary.PodsNetworked == summary.PodsTotal && summary.PingsOk == summary.PingsTotal;
            if (!options.Once)
            {
                PrintHowToUse();
                try
                {
                    await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            ui.Warn("interrupted: cleaning up");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or KubernetesApiException
            or Kuryr.Neutron.Errors.NeutronException or IOException or KeyNotFoundException or RedisException)
        {
            ui.Fail(e.Message);
            Log.ScenarioFailed(logger, e);
        }
        finally
        {
            leaked = await CleanUpAsync().ConfigureAwait(false);
        }

        return ok && leaked == 0 ? 0 : 1;
    }

    private async Task<RunSummary> SetUpAndMeasureAsync(CancellationToken stop)
    {
        var total = Stopwatch.StartNew();
        PrepareRunDir();
        ui.Info($"run directory {RunDir} (configs, sockets, logs); log of this program: {Path.Combine(RunDir, "kuryr-local-cluster.log")}");
        await ui.StepAsync("clean leftovers of an earlier run", async report =>
        {
            await CleanHostAsync().ConfigureAwait(false);
            report("Neutron");
            var left = await openstack.CleanAsync(stop).ConfigureAwait(false);
            if (left > 0)
            {
                ui.Warn($"an earlier run left {left} pod port(s) in Neutron: deleted");
            }

            foreach (var n in new[] { BareMetalNode, NestedNode })
            {
                await kube.DeleteNodeAsync(n, stop).ConfigureAwait(false);
            }

            report("Redis");
            await CleanRedisAsync().ConfigureAwait(false);
        }).ConfigureAwait(false);

        _cloud = await ui.StepAsync("OpenStack side through Neutron + Keystone (network, subnet, security group, VM port, trunk)",
            _ => openstack.CreateAsync(stop)).ConfigureAwait(false);
        ui.Info($"pod network {_cloud.Network.Id} ({OpenStackSide.Cidr}), VM port {_cloud.VmPort.Id} {_cloud.VmIp} {_cloud.VmPort.MacAddress}, trunk {_cloud.TrunkId}");
        // The Keystone-validated neutron-server (testbed/up.sh keystone) keeps its state next to the other one, in kuryr-neutron-ks.
        var keystoneNeutronDb = Path.Combine(Path.GetDirectoryName(env["NEUTRON_STATE_DIR"].TrimEnd('/'))!, "kuryr-neutron-ks", "neutron.sqlite");
        if (!File.Exists(keystoneNeutronDb))
        {
            throw new FileNotFoundException($"{keystoneNeutronDb} not found: is the Keystone neutron-server up (testbed/up.sh keystone)?", keystoneNeutronDb);
        }

        await Shell.CheckAsync("python3", Path.Combine(repoRoot, "testbed", "openstack", "register-ovs-agent.py"), keystoneNeutronDb, BareMetalNode).ConfigureAwait(false);
        ui.Info($"OVS agent registered in Neutron for host {BareMetalNode} (so neutron-vif ports bind: vif_type ovs)");

        string? nestedDriver = null;
        if (!options.NoNested)
        {
            await ui.StepAsync("host side of the nested node (veth klvm1/klvm1-br on br-int, VM port's MAC)", async _ =>
            {
                await new HostNetwork(env["OVS_DB"], env["OVS_BRIDGE"]).CreateVmLinkAsync(_cloud.VmPort.MacAddress!).ConfigureAwait(false);
            }).ConfigureAwait(false);
            var (vlan, why) = await HostNetwork.ProbeVlanAsync().ConfigureAwait(false);
            nestedDriver = vlan ? "nested-vlan" : "nested-macvlan";
            ui.Info($"nested node uses {nestedDriver}: {why}" + (vlan ? " (pool driver nested)" : " (pool driver noop: Kuryr cannot pool macvlan)"));
        }

        _nodes.Add(new ClusterNode(BareMetalNode, "neutron-vif", "127.0.0.1", null));
        if (nestedDriver is not null)
        {
            _nodes.Add(new ClusterNode(NestedNode, nestedDriver, _cloud.VmIp, HostNetwork.VmLink));
        }

        _namespace = "kuryr-local-" + Guid.NewGuid().ToString("N")[..6];
        await ui.StepAsync($"Kubernetes side (namespace {_namespace}, nodes {string.Join(", ", _nodes.Select(n => n.Name))})", async _ =>
        {
            await kube.CreateNamespaceAsync(_namespace, stop).ConfigureAwait(false);
            foreach (var n in _nodes)
            {
                await kube.CreateNodeAsync(n.Name, n.PodVif, n.HostIp, stop).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        var controllerUp = await ui.StepAsync("kuryr-controller", async report =>
        {
            StartController(nestedDriver);
            report("waiting for /ready (leader, CRDs, pools recovered)");
            try
            {
                await _controller!.WaitReadyAsync(_http, TimeSpan.FromSeconds(180), stop).ConfigureAwait(false);
                return true;
            }
            catch (InvalidOperationException) when (nestedDriver is not null && _controller!.HasExited
                && File.ReadAllText(_controller.LogPath).Contains($"pod_vif_driver {nestedDriver} is not supported", StringComparison.Ordinal))
            {
                return false;
            }
        }).ConfigureAwait(false);
        if (!controllerUp)
        {
            // This build of kuryr-controller has no driver for the nested node: go on with the bare-metal node alone.
            ui.Warn($"this kuryr-controller does not support pod_vif_driver {nestedDriver} yet (see {_controller!.LogPath}): running without the nested node");
            await _controller.DisposeAsync().ConfigureAwait(false);
            var nested = _nodes.Single(n => n.LinkIface is not null);
            _nodes.Remove(nested);
            await kube.DeleteNodeAsync(nested.Name, stop).ConfigureAwait(false);
            await new HostNetwork(env["OVS_DB"], env["OVS_BRIDGE"]).RemoveVmLinkAsync().ConfigureAwait(false);
            nestedDriver = null;
            await ui.StepAsync("kuryr-controller (bare metal only)", async report =>
            {
                StartController(null);
                report("waiting for /ready (leader, CRDs, pools recovered)");
                await _controller!.WaitReadyAsync(_http, TimeSpan.FromSeconds(180), stop).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        ui.Info($"controller pid {_controller!.Pid}: health {_controller.Health}, metrics {_controller.Metrics}metrics, log {_controller.LogPath}");

        await ui.StepAsync($"kuryr-agent on {string.Join(", ", _nodes.Select(n => n.Name))}", async report =>
        {
            foreach (var n in _nodes)
            {
                StartAgent(n);
            }

            foreach (var n in _nodes)
            {
                report(n.Name + " /ready");
                await n.Agent!.WaitReadyAsync(_http, TimeSpan.FromSeconds(180), stop).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        foreach (var n in _nodes)
        {
            ui.Info($"agent {n.Name} ({n.PodVif}) pid {n.Agent!.Pid}: health {n.Agent.Health}, log {n.Agent.LogPath}");
        }

        if (options.Pooled)
        {
            await WarmPoolsAsync(stop).ConfigureAwait(false);
        }

        // Let the controller settle so the measured calls are the pods' own (pools: a burst served from the pool).
        await Task.Delay(TimeSpan.FromSeconds(3), stop).ConfigureAwait(false);
        double? neutronBefore = await TryNeutronRequestsAsync(stop).ConfigureAwait(false);

        foreach (var n in _nodes)
        {
            for (var i = 0; i < options.PodsPerNode; i++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"{(n.LinkIface is null ? "bm" : "nested")}-{i:00}");
                var container = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
                _pods.Add(new ClusterPod(n, new CniPod(_namespace, name, "", container, HostNetwork.NetnsPath(HostNetwork.NetnsPrefix + name))));
            }
        }

        var started = Stopwatch.StartNew();
        await RunPodsAsync(stop).ConfigureAwait(false);
        var podsTime = started.Elapsed;
        var networked = _pods.Count(p => p.Ip is not null);
        (networked == _pods.Count ? (Action<string>)ui.Ok : ui.Fail)(
            string.Create(CultureInfo.InvariantCulture, $"{networked}/{_pods.Count} pods networked in {podsTime.TotalSeconds:0.0} s"));
        foreach (var p in _pods.Where(p => p.Error is not null))
        {
            ui.Fail($"{p.Cni.Name} on {p.Node.Name}: {p.Error}");
        }

        double? neutronAfter = await TryNeutronRequestsAsync(stop).ConfigureAwait(false);
        var (pingsOk, pingsTotal) = await PingAsync(stop).ConfigureAwait(false);
        IReadOnlyList<PoolLevel> pools = [];
        try
        {
            pools = await _endpoints!.PoolsAsync(stop).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            ui.Warn("pool levels unreadable from the management socket: " + e.Message);
        }

        var summary = new RunSummary
        {
            Mode = (options.Pooled ? "pools" : "noop (no pools: a Neutron port per pod)")
                + $" — vif_pool_driver {KuryrConfFiles.VifPoolDriver(nestedDriver, options.Pooled)}"
                + (KuryrConfFiles.VifPoolDriver(nestedDriver, options.Pooled) == "multi_pool" ? $", vif_pool_mapping {KuryrConfFiles.PoolMapping(nestedDriver, options.Pooled)}" : ""),
            Nodes = [.. _nodes.Select(n => (n.Name, n.PodVif))],
            PodsTotal = _pods.Count,
            PodsNetworked = networked,
            CniLatencies = [.. _pods.Where(p => p.Latency is not null).Select(p => p.Latency!.Value)],
            Steps = _pods.Where(p => p.Latency is not null).SelectMany(p => p.Steps).GroupBy(st => st.Step)
                .Select(g => (g.Key, (IReadOnlyList<double>)[.. g.Select(st => st.Seconds)])).ToList(),
            CniLatenciesByNode = _pods.Where(p => p.Latency is not null).GroupBy(p => p.Node.Name)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<double>)[.. g.Select(p => p.Latency!.Value)]),
            NeutronRequests = neutronBefore is { } b && neutronAfter is { } a ? a - b : null,
            Pools = pools,
            PingsOk = pingsOk,
            PingsTotal = pingsTotal,
            Elapsed = total.Elapsed,
        };
        if (ui.Interactive)
        {
            ui.Console.Write(SummaryTable.Build(summary));
        }
        else
        {
            ui.Console.WriteLine(SummaryTable.Plain(summary));
        }

        File.WriteAllText(Path.Combine(RunDir, "summary.txt"), SummaryTable.Plain(summary) + "\n");
        Log.Summary(logger, networked, _pods.Count, pingsOk, pingsTotal);
        return summary;
    }

    private void PrepareRunDir()
    {
        Directory.CreateDirectory(RunDir);
        foreach (var sub in new[] { "controller", "agents", "cni-bin", "cni-conf" })
        {
            var path = Path.Combine(RunDir, sub);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }

            Directory.CreateDirectory(path);
        }

        foreach (var log in Directory.EnumerateFiles(RunDir, "*.log").Where(f => !f.EndsWith("kuryr-local-cluster.log", StringComparison.Ordinal)))
        {
            File.Delete(log);
        }

        // kuryr-cni is called through a wrapper (its apphost must run from its own output folder); the reference plugins are linked.
        var cniBin = Path.Combine(RunDir, "cni-bin");
        var kuryrCni = Path.Combine(repoRoot, "src", "Kuryr.Cni", "bin", "Release", "net10.0", "kuryr-cni");
        if (!File.Exists(kuryrCni))
        {
            throw new FileNotFoundException($"{kuryrCni} is not built (dotnet build src/Kuryr.LocalCluster -c Release)", kuryrCni);
        }

        var wrapper = Path.Combine(cniBin, "kuryr-cni");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec '{kuryrCni}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var plugin in new[] { "tuning", "portmap" })
        {
            File.CreateSymbolicLink(Path.Combine(cniBin, plugin), Path.Combine(env["CNI_PLUGIN_DIR"], plugin));
        }
    }

    /// <summary>
    /// Pools mode: what an operator does before a burst (<c>kuryr-poolctl populate</c>): one population
    /// per pooled node through the management socket, so the burst is served from a warm pool and the
    /// comparison with noop measures pools, not the first population.
    /// </summary>
    private async Task WarmPoolsAsync(CancellationToken stop)
    {
        await ui.StepAsync("warming the pools (management socket populate, as kuryr-poolctl populate)", async report =>
        {
            foreach (var n in _nodes)
            {
                // neutron pools are keyed by node name, nested (VLAN) pools by the trunk parent's IP;
                // nested-macvlan cannot be pooled (Kuryr's rule): its pods always get a new port.
                var host = n.PodVif switch
                {
                    KuryrDrivers.NeutronVif => n.Name,
                    KuryrDrivers.NestedVlan => _cloud!.VmIp,
                    _ => null,
                };
                if (host is null)
                {
                    continue;
                }

                var pool = $"{host}/{_cloud!.ProjectId}/{_cloud.Network.Id}";
                report($"{n.Name}: {options.PodsPerNode} ports into {pool}");
                var created = await _endpoints!.PopulateAsync(pool, options.PodsPerNode, _cloud.Subnet.Id, _cloud.SecurityGroupId, stop).ConfigureAwait(false);
                ui.Info($"pool {pool}: {created} ports created before the burst");
            }
        }).ConfigureAwait(false);
    }

    private void StartController(string? nestedDriver)
    {
        var dir = Path.Combine(RunDir, "controller");
        _managementSocket = Path.Combine(dir, "kuryr_manage.sock");
        var health = KuryrProcess.FreePort();
        var metrics = KuryrProcess.FreePort();
        var conf = KuryrConfFiles.Controller(new ControllerSettings
        {
            KubeConfig = env["KUBECONFIG"],
            Namespace = _namespace!,
            Keystone = new KeystoneCredentials(env["OS_AUTH_URL"], env["OS_USERNAME"], env["OS_PASSWORD"], env["OS_PROJECT_NAME"],
                env["OS_USER_DOMAIN_ID"], env["OS_PROJECT_DOMAIN_ID"], env["OS_REGION_NAME"]),
            ProjectId = _cloud!.ProjectId,
            PodSubnetId = _cloud.Subnet.Id,
            SecurityGroupId = _cloud.SecurityGroupId,
            ClusterId = ClusterId,
            RedisEndpoint = env["REDIS_ENDPOINT"],
            RedisPrefix = RedisPrefix,
            Pooled = options.Pooled,
            NestedDriver = nestedDriver,
            WorkerSubnetId = nestedDriver is null ? null : _cloud.Subnet.Id,
            ManagementSocket = _managementSocket,
            // Room for the warm-up population of one port per pod plus a refill batch.
            PoolMax = Math.Max(20, options.PodsPerNode + 5),
            HealthPort = health,
            MetricsPort = metrics,
        });
        _controllerConf = Path.Combine(dir, "kuryr.conf");
        File.WriteAllText(_controllerConf, conf);
        File.SetUnixFileMode(_controllerConf, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _controller = KuryrProcess.Start("kuryr-controller", Built("Kuryr.Controller", "kuryr-controller.dll"), _controllerConf,
            Path.Combine(RunDir, "kuryr-controller.log"), health, metrics,
            new Dictionary<string, string> { ["POD_NAME"] = "kuryr-local-controller", ["KURYR_WATCH_NAMESPACE"] = _namespace! });
        _endpoints?.Dispose();
        _endpoints = new ControllerEndpoints(_controller.Metrics, _managementSocket);
        Log.Started(logger, "kuryr-controller", _controller.Pid, _controller.LogPath);
    }

    private void StartAgent(ClusterNode node)
    {
        var dir = Path.Combine(RunDir, "agents", node.Name);
        Directory.CreateDirectory(dir);
        var health = KuryrProcess.FreePort();
        var metrics = KuryrProcess.FreePort();
        var socket = Path.Combine(dir, "kuryr-agent.sock");
        var conf = KuryrConfFiles.Agent(new AgentSettings
        {
            KubeConfig = env["KUBECONFIG"],
            PodVifDriver = node.PodVif,
            VifPoolDriver = KuryrConfFiles.VifPoolDriver(NestedDriver, options.Pooled),
            VifPoolMapping = KuryrConfFiles.VifPoolDriver(NestedDriver, options.Pooled) == "multi_pool" ? KuryrConfFiles.PoolMapping(NestedDriver, options.Pooled) : null,
            RedisEndpoint = env["REDIS_ENDPOINT"],
            RedisPrefix = RedisPrefix,
            SocketPath = socket,
            StatePath = Path.Combine(dir, "state"),
            OvsdbConnection = env["OVS_DB"],
            LinkIface = node.LinkIface,
            HealthPort = health,
            MetricsPort = metrics,
        });
        var confPath = Path.Combine(dir, "kuryr.conf");
        File.WriteAllText(confPath, conf);
        var conflist = CniChain.NodeConflist(socket);
        File.WriteAllText(Path.Combine(RunDir, "cni-conf", $"10-kuryr-{node.Name}.conflist"), conflist.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        node.Chain = new CniChain(conflist, Path.Combine(RunDir, "cni-bin"));
        node.Agent = KuryrProcess.Start("kuryr-agent " + node.Name, Built("Kuryr.Agent", "kuryr-agent.dll"), confPath,
            Path.Combine(RunDir, $"kuryr-agent-{node.Name}.log"), health, metrics,
            new Dictionary<string, string> { ["KUBERNETES_NODE_NAME"] = node.Name, ["HOST_IP"] = node.HostIp });
        Log.Started(logger, "kuryr-agent " + node.Name, node.Agent.Pid, node.Agent.LogPath);
    }

    private string Built(string project, string dll) => Path.Combine(repoRoot, "src", project, "bin", "Release", "net10.0", dll);

    private async Task<double?> TryNeutronRequestsAsync(CancellationToken stop)
    {
        try
        {
            return await _endpoints!.NeutronRequestsAsync(stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or FormatException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            ui.Warn("controller /metrics unreadable: " + e.Message);
            return null;
        }
    }

    /// <summary>Every pod at once, as a kubelet with a burst: create the pod, its netns, run the CNI chain.</summary>
    private async Task RunPodsAsync(CancellationToken stop)
    {
        var done = 0;
        var chains = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stop };
        async Task One(ClusterPod pod, CancellationToken ct)
        {
            var sw = Stopwatch.StartNew();
            try
            {
                var created = await kube.CreatePodAsync(pod.Cni.Namespace, pod.Cni.Name, pod.Node.Name, pod.Node.HostIp, ct).ConfigureAwait(false);
                pod.Created = true;
                pod.Steps.Add(("pod create (API)", sw.Elapsed.TotalSeconds));
                var cni = pod.Cni with { Uid = created.Metadata.Uid ?? "" };
                var netnsStarted = sw.Elapsed;
                await HostNetwork.CreateNetnsAsync(Path.GetFileName(cni.Netns)).ConfigureAwait(false);
                pod.NetnsCreated = true;
                pod.Steps.Add(("netns (ip netns add)", (sw.Elapsed - netnsStarted).TotalSeconds));
                var r = await pod.Node.Chain!.AddAsync(cni, ct).ConfigureAwait(false);
                pod.Steps.AddRange(r.Steps.Select(st => ($"{st.Plugin} ADD", st.Seconds)));
                if (!r.Ok)
                {
                    pod.Error = r.Error;
                    Log.PodFailed(logger, pod.Cni.Name, pod.Node.Name, r.Error ?? "");
                    return;
                }

                pod.Latency = sw.Elapsed.TotalSeconds;
                pod.Result = r.Result;
                pod.Ip = r.FirstIp;
                Log.PodNetworked(logger, pod.Cni.Name, pod.Node.Name, pod.Ip ?? "?", pod.Latency.Value);
                if (pod.Ip is not null)
                {
                    await kube.MarkRunningAsync(pod.Cni.Namespace, pod.Cni.Name, pod.Ip, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is KubernetesApiException or InvalidOperationException or TimeoutException or HttpRequestException)
            {
                pod.Error = e.Message;
                Log.PodFailed(logger, pod.Cni.Name, pod.Node.Name, e.Message);
            }
            finally
            {
                Interlocked.Increment(ref done);
            }
        }

        if (ui.Interactive)
        {
            await ui.Console.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"pods networked (kubelet: pod → netns → kuryr-cni, tuning, portmap)", maxValue: _pods.Count);
                var run = Parallel.ForEachAsync(_pods, chains, async (p, ct) =>
                {
                    await One(p, ct).ConfigureAwait(false);
                    task.Increment(1);
                });
                await run.ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        else
        {
            ui.Console.WriteLine($"… {_pods.Count} pods: create, netns, CNI chain kuryr-cni → tuning → portmap (16 at a time)");
            await Parallel.ForEachAsync(_pods, chains, async (p, ct) =>
            {
                await One(p, ct).ConfigureAwait(false);
                ui.Console.WriteLine(p.Ip is not null
                    ? string.Create(CultureInfo.InvariantCulture, $"    {Volatile.Read(ref done)}/{_pods.Count} {p.Cni.Name} on {p.Node.Name}: {p.Ip} in {p.Latency:0.000} s")
                    : $"    {Volatile.Read(ref done)}/{_pods.Count} {p.Cni.Name} on {p.Node.Name}: FAILED {p.Error}");
            }).ConfigureAwait(false);
        }
    }

    private async Task<(int Ok, int Total)> PingAsync(CancellationToken stop)
    {
        var pairs = PingPlan.Pairs([.. _pods.Select(p => (p.Node.Name, p.Ip is not null))]);
        var failures = new ConcurrentBag<string>();
        var ok = 0;
        await ui.StepAsync($"pings between pods ({pairs.Count}: within each node and across nodes)", async _ =>
        {
            await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop }, async (pair, ct) =>
            {
                var from = _pods[pair.From];
                var to = _pods[pair.To];
                if (await HostNetwork.PingAsync(Path.GetFileName(from.Cni.Netns), to.Ip!, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    failures.Add($"{from.Cni.Name} ({from.Node.Name}, {from.Ip}) → {to.Cni.Name} ({to.Node.Name}, {to.Ip})");
                    Log.PingFailed(logger, from.Cni.Name, from.Ip ?? "", to.Cni.Name, to.Ip ?? "");
                }
            }).ConfigureAwait(false);
        }).ConfigureAwait(false);
        foreach (var f in failures.Order(StringComparer.Ordinal))
        {
            ui.Fail("no answer: " + f);
        }

        return (ok, pairs.Count);
    }

    private void PrintHowToUse()
    {
        var pools = _nodes.Count > 0 ? "" : "";
        ui.Info("the local cluster keeps running; Ctrl-C (or SIGTERM) stops and cleans everything it started.");
        ui.Console.WriteLine($"""
              kubectl:        export KUBECONFIG={env["KUBECONFIG"]}; kubectl get nodes; kubectl -n {_namespace} get pods,kuryrports -o wide
              kuryr-poolctl:  dotnet {Built("Kuryr.PoolCtl", "kuryr-poolctl.dll")} --config-file {_controllerConf} list
                              (management socket {_managementSocket}, Redis {env["REDIS_ENDPOINT"]} prefix {RedisPrefix})
              pools by hand:  curl --unix-socket {_managementSocket} http://localhost/pools
              a pod's netns:  ip netns exec {HostNetwork.NetnsPrefix}{_pods.FirstOrDefault()?.Cni.Name} ip addr
              logs:           {RunDir}/*.log{pools}
            """);
    }

    /// <summary>Undoes everything; returns the number of pod ports left in the network once the controller is gone (-1: unknown).</summary>
    private async Task<int> CleanUpAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        var leaked = -1;
        try
        {
            await ui.StepAsync("CNI DEL for every pod, delete the pods and their netns", async report =>
            {
                await Parallel.ForEachAsync(_pods.Where(p => p.NetnsCreated), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (p, c) =>
                {
                    var r = await p.Node.Chain!.DelAsync(p.Cni, p.Result, c).ConfigureAwait(false);
                    if (!r.Ok)
                    {
                        ui.Warn($"{p.Cni.Name}: {r.Error}");
                    }
                }).ConfigureAwait(false);
                foreach (var p in _pods.Where(p => p.NetnsCreated))
                {
                    await HostNetwork.DeleteNetnsAsync(Path.GetFileName(p.Cni.Netns)).ConfigureAwait(false);
                }

                await Parallel.ForEachAsync(_pods.Where(p => p.Created), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
                    async (p, c) => await kube.DeletePodAsync(p.Cni.Namespace, p.Cni.Name, c).ConfigureAwait(false)).ConfigureAwait(false);
                if (_namespace is not null && _controller is { HasExited: false })
                {
                    report("waiting for the controller to release the pods' ports");
                    var sw = Stopwatch.StartNew();
                    while (await kube.CountAsync(_namespace, ct).ConfigureAwait(false) > 0 && sw.Elapsed < TimeSpan.FromSeconds(90))
                    {
                        await Task.Delay(500, ct).ConfigureAwait(false);
                    }
                }
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            ui.Warn("pods: " + e.Message);
        }

        if (options.Pooled && _endpoints is not null && _controller is { HasExited: false })
        {
            try
            {
                await ui.StepAsync("free the pools through the management socket", async report =>
                {
                    // Ports the controller is still returning to the pool (recycle pass) are freed too.
                    await Task.Delay(TimeSpan.FromSeconds(3), ct).ConfigureAwait(false);
                    foreach (var pool in await _endpoints.PoolsAsync(ct).ConfigureAwait(false))
                    {
                        var deleted = await _endpoints.FreeAsync(pool.Pool, ct).ConfigureAwait(false);
                        report($"{pool.Pool}: {deleted} port(s) deleted");
                        Log.PoolFreed(logger, pool.Pool, deleted);
                    }
                }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or FormatException)
            {
                ui.Warn("freeing the pools: " + e.Message + " (the remaining ports are deleted directly)");
            }
        }

        await ui.StepAsync("stop the agents and the controller (SIGTERM)", async _ =>
        {
            foreach (var n in _nodes.Where(n => n.Agent is not null))
            {
                await n.Agent!.StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                await n.Agent.DisposeAsync().ConfigureAwait(false);
            }

            if (_controller is not null)
            {
                await _controller.StopAsync(TimeSpan.FromSeconds(40)).ConfigureAwait(false);
                await _controller.DisposeAsync().ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        try
        {
            await ui.StepAsync("delete trunk, VM port, subnet, network, security group; nodes, namespace; veth, OVS port, netns; Redis keys", async _ =>
            {
                if (_cloud is not null)
                {
                    leaked = (await openstack.PodPortsAsync(_cloud.Network.Id, ct).ConfigureAwait(false)).Count;
                }

                await openstack.CleanAsync(ct).ConfigureAwait(false);
                if (_namespace is not null)
                {
                    await kube.ForceCleanAsync(_namespace, ct).ConfigureAwait(false);
                    await kube.DeleteNamespaceAsync(_namespace, ct).ConfigureAwait(false);
                }

                foreach (var n in _nodes)
                {
                    await kube.DeleteNodeAsync(n.Name, ct).ConfigureAwait(false);
                }

                await CleanHostAsync().ConfigureAwait(false);
                await CleanRedisAsync().ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubernetesApiException or HttpRequestException or OperationCanceledException or Kuryr.Neutron.Errors.NeutronException or RedisException)
        {
            ui.Fail("cleanup: " + e.Message);
        }

        if (_cloud is not null)
        {
            (leaked == 0 ? (Action<string>)ui.Ok : ui.Fail)($"Neutron ports left in the pod network after the controller stopped: {leaked} (must be 0)");
        }

        return _cloud is null ? 0 : leaked;
    }

    public void Dispose()
    {
        _endpoints?.Dispose();
        _http.Dispose();
    }

    private async Task CleanHostAsync()
    {
        foreach (var ns in await HostNetwork.ListOwnNetnsAsync().ConfigureAwait(false))
        {
            await HostNetwork.DeleteNetnsAsync(ns).ConfigureAwait(false);
        }

        await new HostNetwork(env["OVS_DB"], env["OVS_BRIDGE"]).RemoveVmLinkAsync().ConfigureAwait(false);
    }

    private async Task CleanRedisAsync()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(env["REDIS_ENDPOINT"] + ",allowAdmin=true").ConfigureAwait(false);
        var db = redis.GetDatabase();
        foreach (var endpoint in redis.GetEndPoints())
        {
            foreach (var key in redis.GetServer(endpoint).Keys(pattern: RedisPrefix + ":*"))
            {
                await db.KeyDeleteAsync(key).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7300, Level = LogLevel.Information, Message = "Started {Process}: pid {Pid}, log {LogPath}")]
        public static partial void Started(ILogger logger, string process, int pid, string logPath);

        [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "Pod {Pod} on node {Node} networked: {Ip} after {Seconds} s")]
        public static partial void PodNetworked(ILogger logger, string pod, string node, string ip, double seconds);

        [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "Pod {Pod} on node {Node} not networked: {Error}")]
        public static partial void PodFailed(ILogger logger, string pod, string node, string error);

        [LoggerMessage(EventId = 7303, Level = LogLevel.Warning, Message = "Ping from pod {Pod} ({Ip}) to pod {Target} ({TargetIp}) failed")]
        public static partial void PingFailed(ILogger logger, string pod, string ip, string target, string targetIp);

        [LoggerMessage(EventId = 7304, Level = LogLevel.Information, Message = "Summary: {Networked}/{Pods} pods networked, pings {PingsOk}/{Pings}")]
        public static partial void Summary(ILogger logger, int networked, int pods, int pingsOk, int pings);

        [LoggerMessage(EventId = 7305, Level = LogLevel.Information, Message = "Pool {Pool} freed: {Deleted} ports deleted")]
        public static partial void PoolFreed(ILogger logger, string pool, int deleted);

        [LoggerMessage(EventId = 7306, Level = LogLevel.Error, Message = "The scenario failed")]
        public static partial void ScenarioFailed(ILogger logger, Exception exception);
    }
}
