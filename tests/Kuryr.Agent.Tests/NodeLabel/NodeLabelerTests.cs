using Kuryr.Agent.Binding;
using Kuryr.Agent.NodeLabel;
using Kuryr.Agent.Tests.Cni;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Testing.Agent;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Agent.Tests.NodeLabel;

/// <summary>The agent labels its Node <c>pod_vif</c> on the REAL kube-apiserver.</summary>
public sealed class NodeLabelerTests(KubeTestBed kube, RedisTestBed redis) : IClassFixture<KubeTestBed>, IClassFixture<RedisTestBed>
{
    [Fact]
    public async Task The_agent_labels_its_node_with_its_pod_vif_driver_keeping_other_labels_and_a_second_run_changes_nothing()
    {
        var node = KubeTestBed.UniqueName("label-node");
        var conf = new AgentConf { KubeConfig = kube.KubeConfigPath, RedisEndpoint = redis.Endpoint, PodVifDriver = "nested-vlan", VifPoolDriver = "nested" };
        await using var agent = await AgentHost.StartAsync(conf.ToIni(), node, s => s.AddSingleton<IVifPlugger>(new RecordingVifPlugger()));
        var api = agent.Services.GetRequiredService<IKubernetesClient>();
        await api.CreateAsync(KubernetesResources.Nodes, new Node { Metadata = new ObjectMeta { Name = node, Labels = new() { ["pod_vif"] = "neutron-vif", ["zone"] = "a" } } });
        try
        {
            // The service retries until the Node exists; wait for the label.
            Node current = null!;
            for (var i = 0; i < 100; i++)
            {
                current = await api.GetAsync(KubernetesResources.Nodes, null, node);
                if (current.Metadata.Labels?.GetValueOrDefault("pod_vif") == "nested-vlan")
                {
                    break;
                }

                await Task.Delay(100);
            }

            Assert.Equal("nested-vlan", current.Metadata.Labels!["pod_vif"]);
            Assert.Equal("a", current.Metadata.Labels["zone"]);

            var labeler = agent.Services.GetRequiredService<INodeLabeler>();
            var version = current.Metadata.ResourceVersion;
            Assert.Equal("nested-vlan", await labeler.ApplyAsync(default));
            Assert.Equal(version, (await api.GetAsync(KubernetesResources.Nodes, null, node)).Metadata.ResourceVersion);
        }
        finally
        {
            await api.DeleteAsync(KubernetesResources.Nodes, null, node);
            Directory.Delete(conf.Directory, recursive: true);
        }
    }
}
