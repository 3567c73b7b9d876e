using System.Diagnostics;
using System.Text.Json.Nodes;
using Kuryr.Agent.Tests.Binding;
using Kuryr.Cni.Tests.Support;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Testing.Agent;
using Kuryr.Testing.TestBed;
using Kuryr.Vifs.Model;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Kuryr.Agent.Tests.EndToEnd;

/// <summary>
/// The real kuryr-cni binary → the agent (real composition, real binding) over the unix socket →
/// a real network namespace and a real OVS port on the test bed's br-int, from a KuryrPort written by hand.
/// </summary>
public sealed class CniToAgentEndToEndTests(KubeTestBed kube, RedisTestBed redis, ITestOutputHelper output) : IClassFixture<KubeTestBed>, IClassFixture<RedisTestBed>
{
    [Fact]
    public async Task Kuryr_cni_add_check_del_through_the_agent_plug_a_real_interface_and_remove_it()
    {
        await using var binding = await BindingHarness.CreateAsync();
        var netns = await binding.NewNamespaceAsync();
        var vif = binding.Vif<VifOpenVSwitch>("10.99.7.5", "10.99.7.0/24", "10.99.7.1");
        vif.BridgeName = binding.Bridge;
        var node = KubeTestBed.UniqueName("e2e-node");
        var ns = await kube.CreateNamespaceAsync("agent-e2e");
        var uid = Guid.NewGuid().ToString();
        var conf = new AgentConf { KubeConfig = kube.KubeConfigPath, RedisEndpoint = redis.Endpoint, OvsdbConnection = binding.Env["OVS_DB"], VifAnnotationTimeoutSeconds = 20 };
        await using var agent = await AgentHost.StartAsync(conf.ToIni(), node);
        var api = agent.Services.GetRequiredService<IKubernetesClient>();
        try
        {
            await api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(ns, "web", uid, node, vif));
            var container = BindingHarness.Hex(16);
            var env = new Dictionary<string, string>
            {
                ["CNI_CONTAINERID"] = container,
                ["CNI_NETNS"] = BindingHarness.NetnsPath(netns),
                ["CNI_IFNAME"] = "eth0",
                ["CNI_PATH"] = "/usr/lib/cni",
                ["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={ns};K8S_POD_NAME=web;K8S_POD_UID={uid}",
            };
            var config = new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "kuryr", ["type"] = "kuryr-cni", ["socket"] = conf.SocketPath };

            var sw = Stopwatch.StartNew();
            var add = await ExecAsync("ADD", env, config);
            var addTime = sw.Elapsed;
            Assert.True(add.ExitCode == 0, add.ToString());
            var result = JsonNode.Parse(add.Stdout)!;
            Assert.Equal(vif.Address, result["interfaces"]![0]!["mac"]!.GetValue<string>());
            Assert.Equal("10.99.7.5/24", result["ips"]![0]!["address"]!.GetValue<string>());

            var addr = await BindingHarness.RunAsync("ip", "-n", netns, "-j", "addr", "show", "eth0");
            Assert.Contains("10.99.7.5", addr, StringComparison.Ordinal);
            Assert.Contains(vif.Address!, addr, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(vif.VifName!, await binding.VsctlAsync("list-ports", binding.Bridge), StringComparison.Ordinal);

            config["prevResult"] = result.DeepClone();
            var check = await ExecAsync("CHECK", env, config);
            Assert.True(check.ExitCode == 0, check.ToString());

            config.Remove("prevResult");
            var del = await ExecAsync("DEL", env, config);
            Assert.True(del.ExitCode == 0, del.ToString());
            Assert.DoesNotContain(vif.VifName!, await binding.VsctlAsync("list-ports", binding.Bridge), StringComparison.Ordinal);
            var (code, _, _) = await BindingHarness.TryRunAsync("ip", "-n", netns, "link", "show", "eth0");
            Assert.NotEqual(0, code);
            sw.Restart();
            var again = await ExecAsync("DEL", env, config);
            Assert.True(again.ExitCode == 0, again.ToString());
            output.WriteLine($"kuryr-cni ADD (exec + agent + real OVS plug): {addTime.TotalMilliseconds:0} ms; second DEL: {sw.Elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            await api.DeleteAsync(KubernetesResources.Namespaces, null, ns);
            await agent.StopAsync();
            Directory.Delete(conf.Directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_agent_killed_during_an_add_ends_in_success_on_the_retry_with_no_leftover_interface()
    {
        await using var binding = await BindingHarness.CreateAsync();
        var netns = await binding.NewNamespaceAsync();
        var vif = binding.Vif<VifOpenVSwitch>("10.99.8.5", "10.99.8.0/24", "10.99.8.1");
        vif.BridgeName = binding.Bridge;
        var node = KubeTestBed.UniqueName("restart-node");
        var ns = await kube.CreateNamespaceAsync("agent-restart");
        var uid = Guid.NewGuid().ToString();
        var conf = new AgentConf { KubeConfig = kube.KubeConfigPath, RedisEndpoint = redis.Endpoint, OvsdbConnection = binding.Env["OVS_DB"], VifAnnotationTimeoutSeconds = 20 };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKubernetesClient(o => o.KubeConfig = kube.KubeConfigPath);
        await using var provider = services.BuildServiceProvider();
        var api = provider.GetRequiredService<IKubernetesClient>();
        try
        {
            await api.CreateAsync(KubernetesResources.KuryrPorts, AgentTestVifs.KuryrPort(ns, "web", uid, node, vif));
            var env = new Dictionary<string, string>
            {
                ["CNI_CONTAINERID"] = BindingHarness.Hex(16),
                ["CNI_NETNS"] = BindingHarness.NetnsPath(netns),
                ["CNI_IFNAME"] = "eth0",
                ["CNI_PATH"] = "/usr/lib/cni",
                ["CNI_ARGS"] = $"K8S_POD_NAMESPACE={ns};K8S_POD_NAME=web;K8S_POD_UID={uid}",
            };
            var config = new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "kuryr", ["type"] = "kuryr-cni", ["socket"] = conf.SocketPath };

            CniExec.Outcome first;
            await using (var agent = AgentProcess.Start(conf, node))
            {
                await agent.WaitReadyAsync(TimeSpan.FromSeconds(60));
                var add = ExecAsync("ADD", env, config);

                // Killed the moment the agent recorded the attachment, i.e. while it plugs.
                var records = Path.Combine(conf.StatePath, "plugged");
                while (!add.IsCompleted && !(Directory.Exists(records) && Directory.EnumerateFiles(records, "*.json").Any()))
                {
                    await Task.Delay(1);
                }

                agent.Kill();
                first = await add;
            }

            output.WriteLine("ADD cut by the kill: " + first);
            await using (var agent = AgentProcess.Start(conf, node))
            {
                await agent.WaitReadyAsync(TimeSpan.FromSeconds(60));
                var retry = await ExecAsync("ADD", env, config);
                Assert.True(retry.ExitCode == 0, retry + "\nagent:\n" + agent.Output);

                var links = await BindingHarness.RunAsync("ip", "-n", netns, "-o", "link", "show");
                Assert.Single(links.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains(" eth0", StringComparison.Ordinal) || l.Contains(": eth0@", StringComparison.Ordinal));
                var ports = (await binding.VsctlAsync("list-ports", binding.Bridge)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Single(ports, p => p == vif.VifName);
                Assert.Contains("10.99.8.5", await BindingHarness.RunAsync("ip", "-n", netns, "addr", "show", "eth0"), StringComparison.Ordinal);

                var del = await ExecAsync("DEL", env, config);
                Assert.True(del.ExitCode == 0, del.ToString());
                Assert.DoesNotContain(vif.VifName!, await binding.VsctlAsync("list-ports", binding.Bridge), StringComparison.Ordinal);
                Assert.Equal(0, await agent.StopAsync());
            }
        }
        finally
        {
            await api.DeleteAsync(KubernetesResources.Namespaces, null, ns);
            Directory.Delete(conf.Directory, recursive: true);
        }
    }

    private static Task<CniExec.Outcome> ExecAsync(string command, Dictionary<string, string> env, JsonObject config) =>
        CniExec.RunAsync(CniExec.KuryrCni, new Dictionary<string, string>(env) { ["CNI_COMMAND"] = command }, config.ToJsonString());
}
