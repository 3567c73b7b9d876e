using System.Text;
using System.Text.Json.Nodes;
using Kuryr.Cni.Agent;
using Kuryr.Cni.Logging;
using Kuryr.Cni.Plugin;
using Kuryr.Cni.Spec.Agent;
using Kuryr.Cni.Spec.Config;
using Kuryr.Cni.Spec.Invocation;
using Kuryr.Cni.Teardown;
using Kuryr.Cni.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Kuryr.Cni.Tests.Plugin;

/// <summary>The DEL-while-the-agent-is-down hook the agent work fills in (docs/cni.md).</summary>
public sealed class LocalTeardownTests
{
    private sealed class RecordingTeardown : ILocalTeardown
    {
        public List<(string? ContainerId, string? IfName, string? Netns)> Calls { get; } = [];

        public Task<string> TearDownAsync(CniInvocation invocation, NetworkConfig config, CancellationToken cancellationToken)
        {
            Calls.Add((invocation.ContainerId, invocation.IfName, invocation.Netns));
            return Task.FromResult("recorded");
        }
    }

    private sealed class DeadAgent(bool timedOut) : IAgentClient
    {
        public Task<AgentResponse> SendAsync(CniCommand command, AgentRequest request, CancellationToken cancellationToken) =>
            throw new AgentUnreachableException("/nowhere.sock", timedOut ? "no answer within 1 s" : "cannot connect", timedOut, null);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string command, bool timedOut, RecordingTeardown teardown)
    {
        using var stderr = new StringWriter();
        var plugin = new CniPlugin(new StderrLogger(stderr, LogLevel.Debug, TimeProvider.System), (_, _) => new DeadAgent(timedOut), teardown);
        using var stdout = new MemoryStream();
        var env = CniExec.Env(command);
        var exit = await plugin.RunAsync(k => env.TryGetValue(k, out var v) ? v : null,
            new MemoryStream(Encoding.UTF8.GetBytes(CniExec.Config("1.0.0", "/nowhere.sock"))), stdout, CancellationToken.None);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Fact]
    public async Task Del_with_the_agent_unreachable_runs_the_local_teardown_for_that_attachment_and_succeeds()
    {
        var teardown = new RecordingTeardown();
        var (exit, stdout, stderr) = await RunAsync("DEL", timedOut: false, teardown);
        Assert.Equal(0, exit);
        Assert.Equal("", stdout);
        Assert.Equal([("c0ffee", "eth0", "/var/run/netns/test")], teardown.Calls);
        Assert.Contains("6403", stderr, StringComparison.Ordinal);
        Assert.Contains("recorded", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Del_that_times_out_on_a_live_agent_is_try_again_later_and_leaves_the_work_to_the_agent()
    {
        var teardown = new RecordingTeardown();
        var (exit, stdout, _) = await RunAsync("DEL", timedOut: true, teardown);
        Assert.Equal(1, exit);
        Assert.Equal(11, JsonNode.Parse(stdout)!["code"]!.GetValue<int>());
        Assert.Empty(teardown.Calls);
    }

    [Fact]
    public async Task Add_with_the_agent_unreachable_never_runs_the_teardown()
    {
        var teardown = new RecordingTeardown();
        var (exit, _, _) = await RunAsync("ADD", timedOut: false, teardown);
        Assert.Equal(1, exit);
        Assert.Empty(teardown.Calls);
    }
}
