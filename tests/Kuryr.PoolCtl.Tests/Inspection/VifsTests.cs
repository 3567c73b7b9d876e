using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Assignments;
using Kuryr.Testing.TestBed;
using Kuryr.Vifs;

namespace Kuryr.PoolCtl.Tests.Inspection;

/// <summary><c>vifs --node</c> reads the assignments the controller published with <see cref="INodeVifPublisher"/>.</summary>
[Collection(Collection)]
public sealed class VifsTests(RedisTestBed redis) : PoolCtlTestBase(redis), IClassFixture<RedisTestBed>
{
    [Fact]
    public async Task Vifs_lists_each_pods_interfaces_with_port_mac_ips_type_and_active()
    {
        await using var bed = await StartAsync();
        Assert.Equal(2, await bed.PopulateAsync(2));
        var first = await bed.TakeAsync("pod-1");
        var second = await bed.TakeAsync("pod-2");
        var uid = Guid.NewGuid().ToString();
        await bed.Publisher.PublishAsync(Host, "ns1", "pod-1", new NodeVifAssignment(uid, "42", new JsonObject
        {
            ["eth0"] = new JsonObject { ["default"] = true, ["vif"] = JsonNode.Parse(first.VifJson) },
            ["eth1"] = new JsonObject { ["default"] = false, ["vif"] = JsonNode.Parse(second.VifJson) },
        }));
        await bed.Publisher.PublishAsync("another-node", "ns1", "pod-3", new NodeVifAssignment(uid, null, new JsonObject
        {
            ["eth0"] = new JsonObject { ["default"] = true, ["vif"] = JsonNode.Parse(first.VifJson) },
        }));
        var vif = VifJson.Deserialize(first.VifJson);
        var ip = vif.Network!.Subnets!.Items[0].Ips!.Items[0].Address!;
        var neutronPort = (await Project.ListPortsAsync(Network.Id)).Single(p => p.Id == first.PortId);

        var json = await bed.RunAsync("vifs", "--node", Host, "-o", "json");

        Assert.Equal(0, json.Code);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(Host, doc.RootElement.GetProperty("node").GetString());
        var vifs = doc.RootElement.GetProperty("vifs").EnumerateArray().ToList();
        Assert.Equal(2, vifs.Count);
        var eth0 = vifs[0];
        Assert.Equal("ns1", eth0.GetProperty("namespace").GetString());
        Assert.Equal("pod-1", eth0.GetProperty("pod").GetString());
        Assert.Equal(uid, eth0.GetProperty("podUid").GetString());
        Assert.Equal("eth0", eth0.GetProperty("ifname").GetString());
        Assert.True(eth0.GetProperty("default").GetBoolean());
        Assert.Equal(first.PortId, eth0.GetProperty("portId").GetString());
        Assert.Equal(neutronPort.MacAddress, eth0.GetProperty("mac").GetString());
        Assert.Equal(new[] { neutronPort.FixedIps[0].IpAddress! }, eth0.GetProperty("ips").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(ip, neutronPort.FixedIps[0].IpAddress);
        Assert.Equal("VIFOpenVSwitch", eth0.GetProperty("vifType").GetString());
        Assert.Equal(vif.Active, eth0.GetProperty("active").GetBoolean());
        Assert.Equal("eth1", vifs[1].GetProperty("ifname").GetString());
        Assert.Equal(second.PortId, vifs[1].GetProperty("portId").GetString());
        Assert.False(vifs[1].GetProperty("default").GetBoolean());

        var table = await bed.RunAsync("vifs", "--node", Host);

        Assert.Equal(0, table.Code);
        var row = Assert.Single(table.Out.Split('\n'), l => l.Contains(first.PortId, StringComparison.Ordinal));
        Assert.Equal(
            new[] { "ns1/pod-1", "eth0 (default)", first.PortId, neutronPort.MacAddress, ip, "VIFOpenVSwitch", vif.Active == true ? "yes" : "no" },
            row.Split('|', StringSplitOptions.TrimEntries)[1..^1]);
        Assert.Equal("No VIFs assigned on node nobody-here.", (await bed.RunAsync("vifs", "--node", "nobody-here")).Out.TrimEnd());
    }
}
