using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Kuryr.Testing.Controller;
using Kuryr.Testing.TestBed;

namespace Kuryr.Controller.Tests.Hosting;

/// <summary>Two real kuryr-controller processes against the real kube-apiserver, a 4 s Lease in a fresh namespace.</summary>
public sealed class ControllerProcessTests(KubeTestBed kube) : IClassFixture<KubeTestBed>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private async Task<ControllerConf> ConfAsync(string prefix, Uri? neutron = null) => new()
    {
        KubeConfig = kube.KubeConfigPath,
        LeaseNamespace = await kube.CreateNamespaceAsync(prefix),
        NeutronEndpoint = neutron ?? new Uri((await TestBedEnvironment.EnsureAsync("neutron"))["NEUTRON_ENDPOINT"]),
    };

    private async Task<string?> HolderAsync(string ns)
    {
        using var http = kube.CreateHttpClient();
        using var response = await http.GetAsync(new Uri(kube.Server, $"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/kuryr-controller"));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("spec").TryGetProperty("holderIdentity", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
    }

    private static async Task<(HttpStatusCode Code, string Body)> GetAsync(Uri baseUri, string path)
    {
        using var response = await Http.GetAsync(new Uri(baseUri, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, ControllerProcess[] processes, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
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

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out waiting for " + what + "\n" + string.Join("\n----\n", processes.Select(p => p.Identity + ":\n" + p.Output)));
            }

            await Task.Delay(100);
        }
    }

    private static double LeaderGauge(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("kuryr_controller_leader", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Single();

    [Fact]
    public async Task Only_one_of_two_leads_and_a_killed_leader_is_replaced_within_the_lease_duration()
    {
        var conf = await ConfAsync("ha-kill");
        await using var a = ControllerProcess.Start(conf, "ctl-a");
        await using var b = ControllerProcess.Start(conf, "ctl-b");
        ControllerProcess[] both = [a, b];
        await EventuallyAsync(async () => await HolderAsync(conf.LeaseNamespace) is "ctl-a" or "ctl-b", "a leader", both, 60);
        await EventuallyAsync(async () => (await GetAsync(a.Metrics, "metrics")).Code == HttpStatusCode.OK
            && (await GetAsync(b.Metrics, "metrics")).Code == HttpStatusCode.OK, "both /metrics", both);

        // For several lease periods: one holder, and the gauges agree (1 on it, 0 on the other).
        var holder = await HolderAsync(conf.LeaseNamespace);
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(1000);
            Assert.Equal(holder, await HolderAsync(conf.LeaseNamespace));
        }

        var (leader, standby) = holder == "ctl-a" ? (a, b) : (b, a);
        Assert.Equal(1, LeaderGauge((await GetAsync(leader.Metrics, "metrics")).Body));
        Assert.Equal(0, LeaderGauge((await GetAsync(standby.Metrics, "metrics")).Body));

        // Both are ready (a standby must be ready to take over) and alive.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(leader.Health, "ready")).Code);
        var standbyReady = await GetAsync(standby.Health, "ready");
        Assert.True(standbyReady.Code == HttpStatusCode.OK, standbyReady.Body);
        Assert.Contains("\"name\":\"caches\"", standbyReady.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(standby.Health, "alive")).Code);

        var killed = Stopwatch.StartNew();
        leader.Kill();
        await EventuallyAsync(async () => await HolderAsync(conf.LeaseNamespace) == standby.Identity, "the standby to take over", both, 30);
        var takeover = killed.Elapsed;

        // Lease 4 s + retry 1 s x 1.2 jitter, plus polling slack.
        Assert.True(takeover < TimeSpan.FromSeconds(4 + 1.2 + 2), $"takeover took {takeover.TotalSeconds:0.0} s");
        Assert.True(takeover > TimeSpan.FromSeconds(1), $"takeover after {takeover.TotalSeconds:0.0} s: the killed leader's lease was not honoured");
        await EventuallyAsync(async () => LeaderGauge((await GetAsync(standby.Metrics, "metrics")).Body) == 1, "gauge 1 on the new leader", both);
    }

    [Fact]
    public async Task Sigterm_releases_the_lease_at_once_and_exits_0()
    {
        // A 15 s lease: only a release explains a takeover within a few seconds.
        var conf = (await ConfAsync("ha-term")) with { LeaseSeconds = 15, RenewSeconds = 10, RetrySeconds = 1 };
        await using var a = ControllerProcess.Start(conf, "ctl-a");
        await EventuallyAsync(async () => await HolderAsync(conf.LeaseNamespace) == "ctl-a", "a leads", [a], 60);
        await using var b = ControllerProcess.Start(conf, "ctl-b");
        await EventuallyAsync(async () => (await GetAsync(b.Health, "ready")).Code == HttpStatusCode.OK, "b ready", [a, b], 60);

        var stopped = Stopwatch.StartNew();
        Assert.Equal(0, await a.StopAsync());
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(10), $"stop took {stopped.Elapsed.TotalSeconds:0.0} s\n{a.Output}");
        Assert.Contains("releasing the Lease", a.Output, StringComparison.Ordinal);
        await EventuallyAsync(async () => await HolderAsync(conf.LeaseNamespace) == "ctl-b", "b takes over", [a, b], 30);
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(8), $"takeover after {stopped.Elapsed.TotalSeconds:0.0} s (lease 15 s: not released?)");
    }

    [Fact]
    public async Task Ready_is_503_naming_neutron_while_neutron_is_unreachable_and_alive_stays_200()
    {
        var closed = new Uri("http://127.0.0.1:" + ControllerProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) + "/v2.0");
        var conf = await ConfAsync("health-neutron", closed);
        await using var a = ControllerProcess.Start(conf, "ctl-a");
        await EventuallyAsync(async () => await HolderAsync(conf.LeaseNamespace) == "ctl-a", "a leads", [a], 60);
        var ready = await GetAsync(a.Health, "ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Code);
        using var doc = JsonDocument.Parse(ready.Body);
        var checks = doc.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("failing", checks["neutron"]);
        Assert.Equal("ok", checks["kubernetes_api"]);
        Assert.Equal("ok", checks["caches"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(a.Health, "alive")).Code);
    }

    [Fact]
    public async Task A_bad_config_file_prints_the_problems_and_exits_2()
    {
        var conf = (await ConfAsync("bad-conf")) with { Extra = "[vif_pool]\nports_pool_batch = -3" };
        await using var a = ControllerProcess.Start(conf, "ctl-bad");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!a.HasExited)
        {
            await Task.Delay(100, cts.Token);
        }

        Assert.Equal(2, a.ExitCode);
        Assert.Contains("[vif_pool] ports_pool_batch", a.Output, StringComparison.Ordinal);
    }
}
