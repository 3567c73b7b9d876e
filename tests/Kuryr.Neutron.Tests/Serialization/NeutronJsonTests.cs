using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Serialization;
using Kuryr.Neutron.Transport;

namespace Kuryr.Neutron.Tests.Serialization;

public sealed class NeutronJsonTests
{
    // Trimmed from a real Zed answer, plus trunk_details and an attribute this client does not model.
    private const string PortJson = """
        {"port":{"id":"921e","name":"","network_id":"aa85","tenant_id":"pr","mac_address":"fa:16:3e:c2:b2:8e",
        "admin_state_up":true,"status":"DOWN","device_id":"","device_owner":"compute:kuryr",
        "fixed_ips":[{"subnet_id":"602b","ip_address":"10.9.0.202"}],"project_id":"pr",
        "binding:host_id":"node-1","binding:vnic_type":"normal","binding:profile":{},"port_security_enabled":true,
        "security_groups":["7530"],"binding:vif_type":"ovs","binding:vif_details":{"port_filter":true,"bridge_name":"br-int","datapath_type":"netdev"},
        "allowed_address_pairs":[{"ip_address":"10.9.0.9","mac_address":"fa:16:3e:00:00:09"}],"extra_dhcp_opts":[],"description":"",
        "tags":["kuryr.cluster=c1"],"created_at":"2026-11-21T07:11:53Z","updated_at":"2026-11-21T07:11:54Z","revision_number":2,
        "trunk_details":{"trunk_id":"tr1","sub_ports":[{"port_id":"sp1","segmentation_type":"vlan","segmentation_id":101,"mac_address":"fa:16:3e:00:00:01"}]},
        "numa_affinity_policy":null}}
        """;

    private static NeutronResponse Response(string json) => new(200, Encoding.UTF8.GetBytes(json), null);

    [Fact]
    public void A_port_reads_every_modelled_attribute()
    {
        var port = NeutronJson.Unwrap(Response(PortJson), "port", NeutronJsonContext.Default.Port, "show_port");

        Assert.Equal("921e", port.Id);
        Assert.Equal("compute:kuryr", port.DeviceOwner);
        Assert.Equal("10.9.0.202", Assert.Single(port.FixedIps).IpAddress);
        Assert.Equal("node-1", port.BindingHostId);
        Assert.Equal("ovs", port.BindingVifType);
        Assert.True(port.BindingVifDetails!["port_filter"].GetBoolean());
        Assert.Equal("netdev", port.BindingVifDetails["datapath_type"].GetString());
        Assert.Equal("fa:16:3e:00:00:09", Assert.Single(port.AllowedAddressPairs).MacAddress);
        Assert.Equal(2, port.RevisionNumber);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 7, 11, 54, TimeSpan.Zero), port.UpdatedAt);
        Assert.Equal("tr1", port.TrunkDetails!.TrunkId);
        Assert.Equal(101, Assert.Single(port.TrunkDetails.SubPorts).SegmentationId);
    }

    [Fact]
    public void Attributes_the_model_does_not_name_are_kept_and_written_back()
    {
        var port = NeutronJson.Unwrap(Response(PortJson), "port", NeutronJsonContext.Default.Port, "show_port");

        Assert.True(port.ExtensionData!.ContainsKey("extra_dhcp_opts"));
        Assert.True(port.ExtensionData.ContainsKey("numa_affinity_policy"));

        var original = JsonNode.Parse(PortJson)!["port"]!;
        var written = JsonNode.Parse(JsonSerializer.Serialize(port, NeutronJsonContext.Default.Port))!;
        foreach (var (key, value) in original.AsObject())
        {
            if (value is not null)
            {
                Assert.True(written[key] is not null, $"{key} was lost");
            }
        }
    }

    [Fact]
    public void Create_types_write_only_what_was_set_with_neutrons_names()
    {
        var json = JsonSerializer.Serialize(
            new PortCreate { NetworkId = "n", BindingHostId = "h", FixedIps = [new FixedIpRequest { SubnetId = "s" }] },
            NeutronJsonContext.Default.PortCreate);

        Assert.Equal("""{"network_id":"n","fixed_ips":[{"subnet_id":"s"}],"binding:host_id":"h"}""", json);
    }

    [Theory]
    [InlineData("http://h/v2.0/ports?limit=10&marker=abc", "limit=10|marker=abc")]
    [InlineData("http://h/v2.0/ports?fixed_ips=ip_address%3D10.0.0.1&tags-any=a%2Cb", "fixed_ips=ip_address=10.0.0.1|tags-any=a,b")]
    [InlineData("http://h/v2.0/ports?name=a+b&flag", "name=a b|flag=")]
    [InlineData("http://h/v2.0/ports", "")]
    public void Link_queries_are_decoded_in_order(string href, string expected)
    {
        var pairs = NeutronJson.ParseQuery(href);

        Assert.Equal(expected, string.Join('|', pairs.Select(p => p.Key + "=" + p.Value)));
    }

    [Fact]
    public void Wrap_puts_the_value_under_the_key()
    {
        var bytes = NeutronJson.Wrap("tags", (IReadOnlyList<string>)["a"], NeutronJsonContext.Default.IReadOnlyListString);

        Assert.Equal("""{"tags":["a"]}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Bad_json_is_a_neutron_error_naming_the_operation()
    {
        var e = Assert.Throws<NeutronException>(() =>
            NeutronJson.Unwrap(Response("{not json"), "port", NeutronJsonContext.Default.Port, "show_port"));

        Assert.Equal("show_port", e.Operation);
        Assert.Equal("MalformedResponse", e.ErrorType);
    }
}
