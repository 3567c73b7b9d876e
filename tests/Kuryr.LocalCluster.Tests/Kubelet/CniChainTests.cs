using System.Text.Json.Nodes;
using Kuryr.LocalCluster.Kubelet;

namespace Kuryr.LocalCluster.Tests.Kubelet;

public sealed class CniChainTests
{
    private static readonly CniPod Pod = new("ns", "web", "uid-1", "cid", "/var/run/netns/kl-web");

    [Fact]
    public void Plugin_config_gets_the_list_version_and_name_and_the_previous_result()
    {
        var chain = new CniChain(CniChain.NodeConflist("/run/a.sock"), "/opt/cni");
        var first = chain.PluginConfig(0, null);
        Assert.Equal("1.0.0", first["cniVersion"]!.GetValue<string>());
        Assert.Equal("kuryr", first["name"]!.GetValue<string>());
        Assert.Equal("/run/a.sock", first["socket"]!.GetValue<string>());
        Assert.Null(first["prevResult"]);

        var prev = new JsonObject { ["cniVersion"] = "1.0.0", ["ips"] = new JsonArray { new JsonObject { ["address"] = "10.0.0.5/24" } } };
        var tuning = chain.PluginConfig(1, prev);
        Assert.Equal("10.0.0.5/24", tuning["prevResult"]!["ips"]![0]!["address"]!.GetValue<string>());
        Assert.Equal("tuning", tuning["type"]!.GetValue<string>());
    }

    [Fact]
    public void Capabilities_become_runtime_config_and_are_not_passed_on()
    {
        var portmap = new CniChain(CniChain.NodeConflist("/s"), "/opt/cni").PluginConfig(2, null);
        Assert.Null(portmap["capabilities"]);
        Assert.Empty(portmap["runtimeConfig"]!["portMappings"]!.AsArray());
    }

    [Fact]
    public void The_conflist_is_not_modified_by_building_plugin_configs()
    {
        var list = CniChain.NodeConflist("/s");
        var before = list.ToJsonString();
        _ = new CniChain(list, "/opt/cni").PluginConfig(2, new JsonObject());
        Assert.Equal(before, list.ToJsonString());
    }

    [Fact]
    public void Environment_is_what_libcni_sets()
    {
        var env = new CniChain(CniChain.NodeConflist("/s"), "/opt/cni").Environment("ADD", Pod);
        Assert.Equal("ADD", env["CNI_COMMAND"]);
        Assert.Equal("cid", env["CNI_CONTAINERID"]);
        Assert.Equal("/var/run/netns/kl-web", env["CNI_NETNS"]);
        Assert.Equal("eth0", env["CNI_IFNAME"]);
        Assert.Equal("/opt/cni", env["CNI_PATH"]);
        Assert.Equal("IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=web;K8S_POD_INFRA_CONTAINER_ID=cid;K8S_POD_UID=uid-1", env["CNI_ARGS"]);
    }

    [Fact]
    public async Task A_missing_plugin_fails_the_chain_naming_it()
    {
        var chain = new CniChain(CniChain.NodeConflist("/s"), "/nonexistent-cni-dir");
        var r = await chain.AddAsync(Pod, CancellationToken.None);
        Assert.False(r.Ok);
        Assert.Contains("kuryr-cni ADD", r.Error, StringComparison.Ordinal);
        Assert.Contains("/nonexistent-cni-dir/kuryr-cni", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void First_ip_drops_the_prefix_length()
    {
        var r = new CniChainResult(true, new JsonObject { ["ips"] = new JsonArray { new JsonObject { ["address"] = "10.231.0.7/22" } } }, null);
        Assert.Equal("10.231.0.7", r.FirstIp);
        Assert.Null(new CniChainResult(true, new JsonObject(), null).FirstIp);
    }
}
