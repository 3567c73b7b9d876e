using System.Text;
using System.Text.Json;
using Kuryr.Cni.Spec.Agent;
using Kuryr.Cni.Spec.Config;
using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Invocation;
using Kuryr.Cni.Spec.Serialization;

namespace Kuryr.Cni.Spec.Tests.Agent;

public sealed class AgentSocketTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuryr-cni-spec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static NetworkConfig Config(string extra) => NetworkConfig.Parse(Encoding.UTF8.GetBytes("""{"cniVersion":"1.0.0","name":"k" """ + extra + "}"));

    [Fact]
    public void The_config_socket_wins_then_kuryr_conf_then_the_default()
    {
        var conf = Path.Combine(_dir, "kuryr.conf");
        File.WriteAllText(conf, "[DEFAULT]\nsocket_path = /wrong\n[cni_daemon]\n# comment\nworker_num = 3\n socket_path = /run/custom/agent.sock \n[other]\nsocket_path=/wrong2\n");
        Assert.Equal("/run/x.sock", AgentSocket.Resolve(Config($""","socket":"/run/x.sock","kuryr_conf":"{conf}" """)));
        Assert.Equal("/run/custom/agent.sock", AgentSocket.Resolve(Config($""","kuryr_conf":"{conf}" """)));
        Assert.Equal(AgentProtocol.DefaultSocketPath, AgentSocket.Resolve(Config($""","kuryr_conf":"{Path.Combine(_dir, "missing.conf")}" """)));
        Assert.Equal(AgentProtocol.DefaultSocketPath, AgentSocket.Resolve(Config("")));
    }

    [Fact]
    public void A_relative_socket_path_in_kuryr_conf_is_error_7_naming_it()
    {
        var conf = Path.Combine(_dir, "bad.conf");
        File.WriteAllText(conf, "[cni_daemon]\nsocket_path = agent.sock\n");
        var error = Assert.Throws<CniException>(() => AgentSocket.ReadSocketPath(conf)).Error;
        Assert.Equal(CniErrorCodes.InvalidNetworkConfig, error.Code);
        Assert.Contains("socket_path", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void The_request_carries_the_call_and_the_raw_config_including_prevResult()
    {
        var invocation = CniInvocation.FromEnvironment(k => k switch
        {
            "CNI_COMMAND" => "CHECK",
            "CNI_CONTAINERID" => "c1",
            "CNI_NETNS" => "/ns/1",
            "CNI_IFNAME" => "eth0",
            "CNI_ARGS" => "K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p;K8S_POD_UID=u",
            _ => null,
        });
        var config = Config(""","prevResult":{"cniVersion":"1.0.0","ips":[]},"kuryr_conf":"/etc/kuryr/kuryr.conf" """);
        var json = JsonSerializer.Serialize(AgentRequest.From(invocation, config), CniJsonContext.Default.AgentRequest);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("CHECK", root.GetProperty("command").GetString());
        Assert.Equal("c1", root.GetProperty("containerId").GetString());
        Assert.Equal("/ns/1", root.GetProperty("netns").GetString());
        Assert.Equal("eth0", root.GetProperty("ifName").GetString());
        Assert.Equal("u", root.GetProperty("args").GetProperty("K8S_POD_UID").GetString());
        Assert.Equal("/etc/kuryr/kuryr.conf", root.GetProperty("config").GetProperty("kuryr_conf").GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("config").GetProperty("prevResult").GetProperty("ips").ValueKind);
        Assert.Equal((HttpMethod.Post, "/cni/check"), AgentRequest.Route(CniCommand.Check));
        Assert.Equal((HttpMethod.Get, "/cni/status"), AgentRequest.Route(CniCommand.Status));
    }
}
