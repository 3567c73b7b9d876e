using System.Diagnostics;
using System.Text.Json.Nodes;
using Kuryr.Cni.Spec.Results;
using Kuryr.Cni.Spec.Vifs;
using Kuryr.Cni.Tests.Support;
using Kuryr.Vifs.Model;
using static Kuryr.Cni.Tests.Support.CniExec;

namespace Kuryr.Cni.Tests.Chaining;

/// <summary>
/// kuryr-cni as the first plugin of a conflist, followed by the REAL reference <c>tuning</c> plugin
/// (/usr/lib/cni/tuning) on a real netns with a real veth: proves the result kuryr-cni prints is
/// accepted as prevResult. The VIF result comes from <see cref="AgentStub"/> playing the agent's
/// protocol role (built with <see cref="VifResultBuilder"/> from a Kuryr VIF); the real agent, which
/// creates the interface itself, is next round — here the test creates the veth with <c>ip</c>.
/// </summary>
public sealed class TuningChainTests : IAsyncLifetime
{
    private const string Tuning = "/usr/lib/cni/tuning";
    private readonly string _ns = $"kcni-{Guid.NewGuid():N}"[..14];
    private readonly string _hostEnd = $"kh{Guid.NewGuid():N}"[..12];
    private AgentStub _agent = null!;

    private string NetnsPath => $"/var/run/netns/{_ns}";

    public async Task InitializeAsync()
    {
        _agent = await AgentStub.StartAsync();
        Ip($"netns add {_ns}");
        Ip($"link add {_hostEnd} type veth peer name eth0 netns {_ns}");
        Ip($"-n {_ns} link set eth0 address fa:16:3e:aa:bb:01");
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        Ip($"netns del {_ns}", check: false);
        Ip($"link del {_hostEnd}", check: false);
    }

    [Theory]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    public async Task Kuryr_cnis_result_is_accepted_by_the_reference_tuning_plugin_as_prevResult(string version)
    {
        Assert.True(File.Exists(Tuning), $"{Tuning} is missing (Debian containernetworking-plugins)");
        var vif = new VifOpenVSwitch
        {
            Id = Guid.NewGuid().ToString(),
            Address = "fa:16:3e:aa:bb:01",
            Network = new VifNetwork
            {
                Mtu = 1450,
                Subnets = new OvoList<VifSubnet>(VifSubnet.ListName,
                [
                    new VifSubnet
                    {
                        Cidr = "10.9.0.0/24",
                        Gateway = "10.9.0.1",
                        Dns = ["10.9.0.2"],
                        Ips = new OvoList<VifFixedIp>(VifFixedIp.ListName, [new VifFixedIp { Address = "10.9.0.5" }]),
                        Routes = new OvoList<VifRoute>(VifRoute.ListName, [new VifRoute { Cidr = "172.16.0.0/12", Gateway = "10.9.0.254" }]),
                    },
                ]),
            },
        };
        var agentResult = CniResultConverter.Write(VifResultBuilder.Build([new PluggedVif("eth0", vif, true)], NetnsPath), "1.0.0").ToJsonString();
        _agent.Handler = (ctx, _) => AgentStub.WriteJsonAsync(ctx, 200, agentResult);
        var env = Env("ADD", containerId: "chain" + version.Replace(".", "", StringComparison.Ordinal), netns: NetnsPath, ifName: "eth0",
            args: "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod1;K8S_POD_UID=uid-1;K8S_POD_INFRA_CONTAINER_ID=x");

        var kuryr = await RunAsync(KuryrCni, env, Config(version, _agent.SocketPath));
        Assert.True(kuryr.ExitCode == 0, kuryr.ToString());

        // The runtime builds the next plugin's stdin: its own conf + name/cniVersion + prevResult.
        var tuningConfig = new JsonObject
        {
            ["cniVersion"] = version,
            ["name"] = "kuryr",
            ["type"] = "tuning",
            ["mac"] = "c2:00:00:00:12:34",
            ["sysctl"] = new JsonObject { ["net.ipv4.conf.eth0.arp_filter"] = "1" },
            ["prevResult"] = kuryr.Json,
        };
        var tuning = await RunAsync(Tuning, env, tuningConfig.ToJsonString());
        Assert.True(tuning.ExitCode == 0, tuning.ToString());

        // tuning changed the real interface and passed our result on with the new MAC.
        Assert.Contains("c2:00:00:00:12:34", Ip($"-n {_ns} link show eth0"), StringComparison.Ordinal);
        Assert.Equal("1", Run("ip", $"netns exec {_ns} cat /proc/sys/net/ipv4/conf/eth0/arp_filter").Trim());
        var chained = tuning.Json;
        Assert.Equal(version, chained["cniVersion"]!.GetValue<string>());
        Assert.Equal("c2:00:00:00:12:34", chained["interfaces"]![0]!["mac"]!.GetValue<string>());
        Assert.Equal("10.9.0.5/24", chained["ips"]![0]!["address"]!.GetValue<string>());
        Assert.Equal(["172.16.0.0/12", "0.0.0.0/0"], chained["routes"]!.AsArray().Select(r => r!["dst"]!.GetValue<string>()));
        Assert.Equal("10.9.0.2", chained["dns"]!["nameservers"]![0]!.GetValue<string>());

        // CHECK through the chain (0.4.0+): kuryr-cni forwards the final result as prevResult.
        if (version != "0.3.1")
        {
            var check = await RunAsync(KuryrCni, With(env, "CNI_COMMAND", "CHECK"), Config(version, _agent.SocketPath, $$""","prevResult":{{chained.ToJsonString()}}"""));
            Assert.True(check.ExitCode == 0, check.ToString());
            var (_, path, body) = _agent.Requests.Last();
            Assert.Equal("/cni/check", path);
            Assert.Equal("c2:00:00:00:12:34", body!["config"]!["prevResult"]!["interfaces"]![0]!["mac"]!.GetValue<string>());
        }

        // DEL in reverse order: tuning first, then kuryr-cni (the agent stub answers 204).
        var delTuning = await RunAsync(Tuning, With(env, "CNI_COMMAND", "DEL"), tuningConfig.ToJsonString());
        Assert.True(delTuning.ExitCode == 0, delTuning.ToString());
        var delKuryr = await RunAsync(KuryrCni, With(env, "CNI_COMMAND", "DEL"), Config(version, _agent.SocketPath));
        Assert.True(delKuryr.ExitCode == 0, delKuryr.ToString());
    }

    private static Dictionary<string, string> With(Dictionary<string, string> env, string key, string value) => new(env) { [key] = value };

    private static string Ip(string args, bool check = true) => Run("ip", args, check);

    private static string Run(string file, string args, bool check = true)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (check && p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {args}: exit {p.ExitCode}: {error}");
        }

        return output;
    }
}
