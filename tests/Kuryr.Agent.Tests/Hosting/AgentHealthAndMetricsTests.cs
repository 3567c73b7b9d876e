using System.Text.Json.Nodes;
using Kuryr.Agent.Binding;
using Kuryr.Agent.Tests.Cni;
using Kuryr.Testing.Agent;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Agent.Tests.Hosting;

/// <summary>/ready, /alive and /metrics of an in-process agent over HTTP.</summary>
public sealed class AgentHealthAndMetricsTests(KubeTestBed kube, RedisTestBed redis) : IClassFixture<KubeTestBed>, IClassFixture<RedisTestBed>
{
    [Fact]
    public async Task Ready_and_alive_answer_200_with_every_check_and_metrics_count_cni_requests_by_command_and_error()
    {
        var conf = new AgentConf { KubeConfig = kube.KubeConfigPath, RedisEndpoint = redis.Endpoint, VifAnnotationTimeoutSeconds = 1 };
        await using var agent = await AgentHost.StartAsync(conf.ToIni(), KubeTestBed.UniqueName("health-node"), s => s.AddSingleton<IVifPlugger>(new RecordingVifPlugger()));
        try
        {
            using var http = new HttpClient();
            JsonNode? ready = null;
            for (var i = 0; i < 100; i++)
            {
                using var r = await http.GetAsync(new Uri(agent.Endpoints.Health!, "ready"));
                ready = JsonNode.Parse(await r.Content.ReadAsStringAsync());
                if ((int)r.StatusCode == 200)
                {
                    break;
                }

                await Task.Delay(100);
            }

            Assert.Equal("ok", ready!["status"]!.GetValue<string>());
            Assert.Equal(["cni_socket", "kubernetes_api", "kuryrports"], ready["checks"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order());
            using var alive = await http.GetAsync(new Uri(agent.Endpoints.Health!, "alive"));
            Assert.Equal(200, (int)alive.StatusCode);

            // Meters are process-wide (other tests' agents run beside this one): compare counts before and after.
            var before = await http.GetStringAsync(new Uri(agent.Endpoints.Metrics!, "metrics"));
            using var client = new AgentSocketClient(conf.SocketPath);
            Assert.Equal(204, (await client.PostAsync("del", AgentSocketClient.Request("DEL", "c1", null, "eth0"))).Status);
            Assert.Equal(503, (await client.PostAsync("add", AgentSocketClient.Request("ADD", "c1", "/x", "eth0", "ns", "p", "u"))).Status);
            var metrics = await http.GetStringAsync(new Uri(agent.Endpoints.Metrics!, "metrics"));
            const string Del = "kuryr_cni_request_duration_seconds_count{command=\"DEL\",error=\"false\"} ";
            const string AddError = "kuryr_cni_request_duration_seconds_count{command=\"ADD\",error=\"true\"} ";
            Assert.True(Count(metrics, Del) >= Count(before, Del) + 1, metrics);
            Assert.True(Count(metrics, AddError) >= Count(before, AddError) + 1, metrics);
            Assert.Contains("# TYPE kuryr_cni_request_duration_seconds histogram", metrics, StringComparison.Ordinal);
        }
        finally
        {
            await agent.StopAsync();
            Directory.Delete(conf.Directory, recursive: true);
        }
    }

    private static long Count(string metrics, string prefix) =>
        metrics.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => long.Parse(l[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
}
