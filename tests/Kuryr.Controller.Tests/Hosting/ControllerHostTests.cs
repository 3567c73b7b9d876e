using System.Net;
using Kuryr.Kubernetes.LeaderElection;
using Kuryr.Testing.Controller;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.Tests.Hosting;

/// <summary>The controller in-process (the real composition root) against the test bed.</summary>
public sealed class ControllerHostTests(KubeTestBed kube) : IClassFixture<KubeTestBed>
{
    [Fact]
    public async Task In_process_controller_leads_and_serves_ready_alive_and_metrics_on_ephemeral_ports()
    {
        var conf = new ControllerConf
        {
            KubeConfig = kube.KubeConfigPath,
            LeaseNamespace = await kube.CreateNamespaceAsync("host-inproc"),
            NeutronEndpoint = new Uri((await TestBedEnvironment.EnsureAsync("neutron"))["NEUTRON_ENDPOINT"]),
        };
        await using var host = await ControllerHost.StartAsync(conf.ToIni());
        var elector = host.Services.GetRequiredService<ILeaderElector>();
        await elector.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(host.Endpoints.Health);
        Assert.NotEqual(0, host.Endpoints.Health!.Port);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using (var ready = await http.GetAsync(new Uri(host.Endpoints.Health, "ready")))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        using (var alive = await http.GetAsync(new Uri(host.Endpoints.Health, "alive")))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        var metrics = await http.GetStringAsync(new Uri(host.Endpoints.Metrics!, "metrics"));
        Assert.Contains("kuryr_controller_leader 1", metrics, StringComparison.Ordinal);
    }
}
