using System.Text.Json.Nodes;
using Kuryr.Cni.Tests.Support;
using Microsoft.AspNetCore.Http;
using static Kuryr.Cni.Tests.Support.CniExec;

namespace Kuryr.Cni.Tests.Plugin;

/// <summary>
/// The built kuryr-cni executable against <see cref="AgentStub"/>, which plays the agent's protocol
/// role only to test the binary's forwarding and error mapping (the real agent comes next round).
/// </summary>
public sealed class ForwardingTests : IAsyncLifetime
{
    private const string AgentResult = """
        {"cniVersion":"1.0.0","interfaces":[{"name":"eth0","mac":"fa:16:3e:11:22:33","sandbox":"/var/run/netns/test"}],
         "ips":[{"address":"10.1.0.5/26","gateway":"10.1.0.1","interface":0},{"address":"fd00::5/64","interface":0}],
         "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"}],"dns":{"nameservers":["10.1.0.2"]}}
        """;

    private AgentStub _agent = null!;

    public async Task InitializeAsync() => _agent = await AgentStub.StartAsync();

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Theory]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public async Task Add_forwards_the_call_and_prints_the_agents_result_in_the_configs_version(string version)
    {
        _agent.Handler = (ctx, _) => AgentStub.WriteJsonAsync(ctx, 200, AgentResult);
        var outcome = await RunAsync(KuryrCni, Env("ADD"), Config(version, _agent.SocketPath, ""","kuryr_conf":"/etc/kuryr/kuryr.conf" """));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var result = outcome.Json;
        Assert.Equal(version, result["cniVersion"]!.GetValue<string>());
        Assert.Equal("fa:16:3e:11:22:33", result["interfaces"]![0]!["mac"]!.GetValue<string>());
        var ips = result["ips"]!.AsArray();
        Assert.Equal(version.StartsWith("0.", StringComparison.Ordinal) ? "6" : null, ips[1]!["version"]?.GetValue<string>());

        var (method, path, body) = Assert.Single(_agent.Requests);
        Assert.Equal(("POST", "/cni/add"), (method, path));
        Assert.Equal("ADD", body!["command"]!.GetValue<string>());
        Assert.Equal("c0ffee", body["containerId"]!.GetValue<string>());
        Assert.Equal("/var/run/netns/test", body["netns"]!.GetValue<string>());
        Assert.Equal("eth0", body["ifName"]!.GetValue<string>());
        Assert.Equal("/usr/lib/cni", body["path"]!.GetValue<string>());
        Assert.Equal("ns1", body["args"]!["K8S_POD_NAMESPACE"]!.GetValue<string>());
        Assert.Equal("pod1", body["args"]!["K8S_POD_NAME"]!.GetValue<string>());
        Assert.Equal("uid-1", body["args"]!["K8S_POD_UID"]!.GetValue<string>());
        Assert.Equal("/etc/kuryr/kuryr.conf", body["config"]!["kuryr_conf"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("DEL", "/cni/del", "POST")]
    [InlineData("CHECK", "/cni/check", "POST")]
    [InlineData("GC", "/cni/gc", "POST")]
    [InlineData("STATUS", "/cni/status", "GET")]
    public async Task Del_check_gc_and_status_print_nothing_on_success(string command, string path, string method)
    {
        var extra = ""","prevResult":{"cniVersion":"1.1.0","ips":[{"address":"10.0.0.2/24"}]},"cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]""";
        var outcome = await RunAsync(KuryrCni, Env(command), Config("1.1.0", _agent.SocketPath, extra));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal("", outcome.Stdout);
        var request = Assert.Single(_agent.Requests);
        Assert.Equal((method, path), (request.Method, request.Path));
        Assert.Equal("c1", request.Body!["config"]!["cni.dev/valid-attachments"]![0]!["containerID"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_agent_cni_error_is_printed_as_it_is_with_the_configs_version()
    {
        _agent.Handler = (ctx, _) => AgentStub.WriteJsonAsync(ctx, 410, """{"code":3,"msg":"pod ns1/pod1 is gone","details":"uid mismatch"}""");
        var outcome = await RunAsync(KuryrCni, Env("ADD"), Config("0.4.0", _agent.SocketPath));
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(3, outcome.ErrorCode);
        Assert.Equal("pod ns1/pod1 is gone", outcome.Json["msg"]!.GetValue<string>());
        Assert.Equal("uid mismatch", outcome.Json["details"]!.GetValue<string>());
        Assert.Equal("0.4.0", outcome.Json["cniVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Del_of_an_unknown_container_is_a_success()
    {
        _agent.Handler = (ctx, _) => AgentStub.WriteJsonAsync(ctx, 404, """{"code":3,"msg":"no such container"}""");
        var outcome = await RunAsync(KuryrCni, Env("DEL", netns: null), Config("1.0.0", _agent.SocketPath));
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal("", outcome.Stdout);
    }

    [Fact]
    public async Task Status_reports_the_agents_code_50()
    {
        _agent.Handler = (ctx, _) => AgentStub.WriteJsonAsync(ctx, 503, """{"code":50,"msg":"no ports in the node's pools"}""");
        var outcome = await RunAsync(KuryrCni, Env("STATUS", null, null, null), Config("1.1.0", _agent.SocketPath));
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(50, outcome.ErrorCode);
    }

    [Theory]
    [InlineData(500, "text/plain", "boom", "without a CNI error")]
    [InlineData(200, "application/json", "not json", "not JSON")]
    [InlineData(200, "application/json", """{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.1"}]}""", "ips[0].address")]
    [InlineData(200, "application/json", """{"cniVersion":"0.1.0"}""", "0.1.0")]
    public async Task Answers_that_are_neither_a_result_nor_a_cni_error_are_code_100(int status, string type, string body, string fragment)
    {
        _agent.Handler = async (ctx, _) =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = type;
            await ctx.Response.WriteAsync(body);
        };
        var outcome = await RunAsync(KuryrCni, Env("ADD"), Config("1.0.0", _agent.SocketPath));
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(100, outcome.ErrorCode);
        Assert.Contains(fragment, outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_that_drops_the_connection_mid_add_is_try_again_later()
    {
        _agent.Handler = (ctx, _) =>
        {
            ctx.Abort();
            return Task.CompletedTask;
        };
        var outcome = await RunAsync(KuryrCni, Env("ADD"), Config("1.0.0", _agent.SocketPath));
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(11, outcome.ErrorCode);
    }

    [Fact]
    public async Task An_agent_slower_than_the_config_timeout_is_try_again_later()
    {
        _agent.Handler = async (ctx, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            await AgentStub.WriteJsonAsync(ctx, 200, AgentResult);
        };
        var outcome = await RunAsync(KuryrCni, Env("ADD"), Config("1.0.0", _agent.SocketPath, ""","timeout":1"""));
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(11, outcome.ErrorCode);
        Assert.Contains("no answer within 1 s", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_with_a_0_3_1_config_is_refused_before_asking_the_agent()
    {
        var outcome = await RunAsync(KuryrCni, Env("CHECK"), Config("0.3.1", _agent.SocketPath, ""","prevResult":{"cniVersion":"0.3.1"}"""));
        Assert.Equal(1, outcome.ErrorCode);
        Assert.Empty(_agent.Requests);
    }

    [Theory]
    [InlineData("1.0.0", "STATUS")]
    [InlineData("0.4.0", "GC")]
    public async Task Status_and_gc_need_a_1_1_0_config(string version, string command)
    {
        var outcome = await RunAsync(KuryrCni, Env(command), Config(version, _agent.SocketPath));
        Assert.Equal(1, outcome.ErrorCode);
        Assert.Contains("1.1.0", outcome.Stdout, StringComparison.Ordinal);
        Assert.Empty(_agent.Requests);
    }

    [Fact]
    public async Task The_socket_comes_from_kuryr_conf_when_the_config_names_no_socket()
    {
        var conf = Path.Combine(Path.GetDirectoryName(_agent.SocketPath)!, "kuryr.conf");
        await File.WriteAllTextAsync(conf, $"[cni_daemon]\nsocket_path = {_agent.SocketPath}\n");
        var outcome = await RunAsync(KuryrCni, Env("DEL"), $$"""{"cniVersion":"0.3.1","name":"kuryr","type":"kuryr-cni","kuryr_conf":"{{conf}}"}""");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Single(_agent.Requests);
    }
}

/// <summary>kuryr-cni with no agent listening at all.</summary>
public sealed class NoAgentTests
{
    private static readonly string Missing = $"/tmp/kuryr-cni-no-agent-{Guid.NewGuid():N}.sock";

    [Theory]
    [InlineData("ADD", 11)]
    [InlineData("CHECK", 11)]
    [InlineData("GC", 11)]
    [InlineData("STATUS", 50)]
    public async Task Without_the_agent_add_check_gc_say_try_again_and_status_says_not_available(string command, int code)
    {
        var outcome = await RunAsync(KuryrCni, Env(command), Config("1.1.0", Missing, ""","prevResult":{"cniVersion":"1.1.0"}"""));
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(code, outcome.ErrorCode);
        Assert.Contains(Missing, outcome.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_agent_del_succeeds_twice_and_after_the_netns_is_gone()
    {
        for (var i = 0; i < 2; i++)
        {
            var outcome = await RunAsync(KuryrCni, Env("DEL", netns: i == 0 ? "/var/run/netns/gone" : null), Config("1.0.0", Missing));
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            Assert.Equal("", outcome.Stdout);
            Assert.Contains("6403", outcome.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("", "1.1.0")]
    [InlineData("""{"cniVersion":"0.4.0"}""", "0.4.0")]
    [InlineData("""{"cniVersion":"42"}""", "1.1.0")]
    [InlineData("not json", "1.1.0")]
    public async Task Version_is_answered_locally(string stdin, string version)
    {
        var outcome = await RunAsync(KuryrCni, new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, stdin);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(version, outcome.Json["cniVersion"]!.GetValue<string>());
        Assert.Equal(["0.3.1", "0.4.0", "1.0.0", "1.1.0"], outcome.Json["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
    }
}
