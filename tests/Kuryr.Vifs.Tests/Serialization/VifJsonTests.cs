using System.Text.Json.Nodes;
using Kuryr.Vifs.Model;

namespace Kuryr.Vifs.Tests.Serialization;

public sealed class VifJsonTests
{
    /// <summary>The <c>openstack.org/kuryr-vif</c> annotation Kuryr wrote for an OVS hybrid-plug
    /// port (taken from a published Kuryr controller log), byte for byte.</summary>
    private static readonly string KuryrSample =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Serialization", "Samples", "kuryr-vifbridge-annotation.json"));

    [Fact]
    public void A_Kuryr_written_VIF_round_trips_byte_for_byte_in_python_style()
    {
        var vif = VifJson.Deserialize(KuryrSample);

        Assert.Equal(KuryrSample, VifJson.Serialize(vif, VifJsonStyle.Python));
    }

    [Fact]
    public void The_Kuryr_sample_reads_into_the_typed_model()
    {
        var vif = Assert.IsType<VifBridge>(VifJson.Deserialize(KuryrSample));

        Assert.Equal("a0818066-aacc-4e7c-b270-55a072ac28eb", vif.Id);
        Assert.Equal("fa:16:3e:98:7b:3f", vif.Address);
        Assert.Equal("qbra0818066-aa", vif.BridgeName);
        Assert.Equal("tapa0818066-aa", vif.VifName);
        Assert.Equal("ovs", vif.Plugin);
        Assert.False(vif.Active);
        Assert.True(vif.HasTrafficFiltering);
        Assert.Equal("a0818066-aacc-4e7c-b270-55a072ac28eb", Assert.IsType<VifPortProfileOpenVSwitch>(vif.PortProfile).InterfaceId);
        var network = vif.Network!;
        Assert.Equal("1.1", network.Version);
        Assert.Equal(1450, network.Mtu);
        Assert.Equal("br-int", network.Bridge);
        Assert.Equal("demo", network.Label);
        var subnet = Assert.Single(network.Subnets!.Items);
        Assert.Equal("10.1.0.0/26", subnet.Cidr);
        Assert.Equal("10.1.0.1", subnet.Gateway);
        Assert.Empty(subnet.Dns!);
        Assert.Empty(subnet.Routes!.Items);
        Assert.Equal("10.1.0.5", Assert.Single(subnet.Ips!.Items).Address);
        Assert.Empty(vif.ExtraFields);
    }

    [Fact]
    public void Compact_style_is_the_same_document_without_whitespace()
    {
        var vif = VifJson.Deserialize(KuryrSample);

        var compact = VifJson.Serialize(vif);

        Assert.DoesNotContain(", ", compact, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(KuryrSample), JsonNode.Parse(compact)));
        Assert.Equal(compact, VifJson.Serialize(VifJson.Deserialize(compact)));
    }

    [Fact]
    public void Unknown_fields_envelope_keys_and_explicit_nulls_are_kept()
    {
        var node = JsonNode.Parse(KuryrSample)!.AsObject();
        var data = node["versioned_object.data"]!.AsObject();
        data["some_future_field"] = JsonNode.Parse("{\"z\":1,\"a\":[\"é\",2.50]}");
        data["address"] = null;
        node["versioned_object.changes"] = new JsonArray("active");
        var text = node.ToJsonString();

        var vif = VifJson.Deserialize(text);
        var again = VifJson.Deserialize(VifJson.Serialize(vif));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), JsonNode.Parse(VifJson.Serialize(again))));
        Assert.Contains("\"a\":[\"\\u00e9\",2.50]", VifJson.Serialize(again), StringComparison.Ordinal);
        Assert.Null(vif.Address);
    }

    [Fact]
    public void A_nested_vlan_VIF_round_trips()
    {
        var vif = new VifVlanNested
        {
            Id = "4f1a4d5e-0000-4000-8000-000000000001",
            Address = "fa:16:3e:00:00:01",
            Plugin = "noop",
            Active = true,
            PreserveOnDelete = false,
            HasTrafficFiltering = false,
            VifName = VifNames.Tap("4f1a4d5e-0000-4000-8000-000000000001"),
            VlanId = 4094,
            Network = new VifNetwork { Id = "n1", Mtu = 1400 }.WithOsVifDefaults(),
        };

        var back = Assert.IsType<VifVlanNested>(VifJson.Deserialize(VifJson.Serialize(vif)));

        Assert.Equal(4094, back.VlanId);
        Assert.Equal("tap4f1a4d5e-00", back.VifName);
        Assert.Equal(1400, back.Network!.Mtu);
        Assert.False(back.Network.MultiHost);
        Assert.Empty(back.Network.Subnets!.Items);
        Assert.Equal(VifJson.Serialize(vif), VifJson.Serialize(back));
    }

    [Theory]
    [InlineData("[]", "$: expected a versioned object")]
    [InlineData("{\"versioned_object.data\":{}}", "$.versioned_object.name: is missing")]
    [InlineData("{\"versioned_object.name\":\"VIFWhatever\",\"versioned_object.namespace\":\"os_vif\",\"versioned_object.version\":\"1.0\",\"versioned_object.data\":{}}", "unknown versioned object \"VIFWhatever\"")]
    [InlineData("{\"versioned_object.name\":\"Network\",\"versioned_object.namespace\":\"os_vif\",\"versioned_object.version\":\"1.1\",\"versioned_object.data\":{}}", "\"Network\" is not a valid VIF")]
    [InlineData("{\"versioned_object.name\":\"VIFVlanNested\",\"versioned_object.namespace\":\"os_vif\",\"versioned_object.version\":\"1.0\",\"versioned_object.data\":{\"vlan_id\":\"7\"}}", "$.versioned_object.data.vlan_id: expected an integer")]
    [InlineData("{\"versioned_object.name\":\"VIFOpenVSwitch\",\"versioned_object.namespace\":\"os_vif\",\"versioned_object.version\":\"1.0\"}", "$.versioned_object.data: is missing")]
    [InlineData("{", "not valid JSON")]
    public void Bad_input_names_the_field(string json, string expected)
    {
        var e = Assert.ThrowsAny<FormatException>(() => VifJson.Deserialize(json));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_names_are_fourteen_characters()
    {
        Assert.Equal("tapa0818066-aa", VifNames.Tap("a0818066-aacc-4e7c-b270-55a072ac28eb"));
        Assert.Equal("qbra0818066-aa", VifNames.HybridBridge("a0818066-aacc-4e7c-b270-55a072ac28eb"));
        Assert.Equal("tapab", VifNames.Tap("ab"));
    }
}
