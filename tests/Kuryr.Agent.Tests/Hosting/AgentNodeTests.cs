using System.Net;
using Kuryr.Agent.Hosting;
using Kuryr.Config;

namespace Kuryr.Agent.Tests.Hosting;

/// <summary>How the agent finds its node name and address (pure logic).</summary>
public sealed class AgentNodeTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_node_name_comes_from_kubernetes_node_name_then_node_name_then_the_host_name()
    {
        Assert.Equal("n1", AgentNode.ResolveName(Env(("KUBERNETES_NODE_NAME", " n1 "), ("NODE_NAME", "n2")), "host"));
        Assert.Equal("n2", AgentNode.ResolveName(Env(("KUBERNETES_NODE_NAME", " "), ("NODE_NAME", "n2")), "host"));
        Assert.Equal("host", AgentNode.ResolveName(Env(), "host"));
    }

    [Fact]
    public void The_node_address_comes_from_host_ip_and_a_bad_value_names_the_variable()
    {
        Assert.Equal(IPAddress.Parse("10.0.0.7"), AgentNode.ResolveAddress(Env(("HOST_IP", "10.0.0.7"), ("KUBERNETES_NODE_IP", "10.0.0.8"))));
        Assert.Equal(IPAddress.Parse("fd00::8"), AgentNode.ResolveAddress(Env(("KUBERNETES_NODE_IP", "fd00::8"))));
        Assert.Null(AgentNode.ResolveAddress(Env()));
        var e = Assert.Throws<KuryrConfigException>(() => AgentNode.ResolveAddress(Env(("HOST_IP", "node-1"))));
        Assert.Contains("HOST_IP", e.Message, StringComparison.Ordinal);
    }
}
