using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Testing.Agent;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Agent.Tests.Hosting;

/// <summary>The real kuryr-agent process: config errors, readiness, the node label, SIGTERM.</summary>
public sealed class AgentProcessTests(KubeTestBed kube, RedisTestBed redis) : IClassFixture<KubeTestBed>, IClassFixture<RedisTestBed>
{
    [Fact]
    public async Task A_bad_kuryr_conf_exits_2_naming_the_option()
    {
        var conf = new AgentConf { KubeConfig = kube.KubeConfigPath, RedisEndpoint = redis.Endpoint, Extra = "[cni_daemon]\nvif_annotation_timeout = zero" };
        await using var agent = AgentProcess.Start(conf, KubeTestBed.UniqueName("bad-node"));
        try
        {
            Assert.Equal(2, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("vif_annotation_timeout", agent.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(conf.Directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_agent_process_gets_ready_labels_its_node_answers_on_its_socket_and_exits_0_on_sigterm()
    {
        var node = KubeTestBed.UniqueName("proc-node");
        var conf = new AgentConf { KubeConfig = kube.KubeConfigPath, RedisEndpoint = redis.Endpoint };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKubernetesClient(o => o.KubeConfig = kube.KubeConfigPath);
        await using var provider = services.BuildServiceProvider();
        var api = provider.GetRequiredService<IKubernetesClient>();
        await api.CreateAsync(KubernetesResources.Nodes, new Node { Metadata = new ObjectMeta { Name = node } });
        try
        {
            await using var agent = AgentProcess.Start(conf, node);
            await agent.WaitReadyAsync(TimeSpan.FromSeconds(60));
            using (var client = new AgentSocketClient(conf.SocketPath))
            {
                Assert.Equal(204, (await client.PostAsync("del", AgentSocketClient.Request("DEL", "gone", null, "eth0"))).Status);
            }

            for (var i = 0; i < 50 && (await api.GetAsync(KubernetesResources.Nodes, null, node)).Metadata.Labels?.GetValueOrDefault("pod_vif") != "neutron-vif"; i++)
            {
                await Task.Delay(100);
            }

            Assert.Equal("neutron-vif", (await api.GetAsync(KubernetesResources.Nodes, null, node)).Metadata.Labels!["pod_vif"]);
            Assert.Equal(0, await agent.StopAsync());
            Assert.Contains("stopped", agent.Output, StringComparison.Ordinal);
        }
        finally
        {
            await api.DeleteAsync(KubernetesResources.Nodes, null, node);
            Directory.Delete(conf.Directory, recursive: true);
        }
    }
}
