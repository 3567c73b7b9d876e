using System.Text.Json.Nodes;
using Kuryr.Controller.Handlers.KuryrPorts;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Controller.Tests.Handlers.KuryrPorts;

public sealed class KuryrPortFormatsTests
{
    private const string Vif = """
        {"versioned_object.name":"VIFOpenVSwitch","versioned_object.namespace":"os_vif","versioned_object.version":"1.0",
         "versioned_object.data":{"id":"PORT","address":"fa:16:3e:00:00:01","active":false,
          "network":{"versioned_object.name":"Network","versioned_object.namespace":"os_vif","versioned_object.version":"1.1",
           "versioned_object.data":{"id":"NET","subnets":{"versioned_object.name":"SubnetList","versioned_object.namespace":"os_vif","versioned_object.version":"1.0",
            "versioned_object.data":{"objects":[{"versioned_object.name":"Subnet","versioned_object.namespace":"os_vif","versioned_object.version":"1.0",
             "versioned_object.data":{"cidr":"10.0.0.0/24","dns":["10.0.0.2"],"ips":{"versioned_object.name":"FixedIPList","versioned_object.namespace":"os_vif","versioned_object.version":"1.0",
              "versioned_object.data":{"objects":[{"versioned_object.name":"FixedIP","versioned_object.namespace":"os_vif","versioned_object.version":"1.0","versioned_object.data":{"address":"10.0.0.5"}}]}}}}]}}}}}}
        """;

    [Fact]
    public void Network_status_lists_eth0_as_kuryr_then_additional_ones_by_number_named_after_their_nad_or_network()
    {
        var vifs = new JsonObject
        {
            ["eth10"] = new JsonObject { ["default"] = false, ["vif"] = JsonNode.Parse(Vif) },
            ["eth2"] = new JsonObject { ["default"] = false, ["vif"] = JsonNode.Parse(Vif) },
            ["eth0"] = new JsonObject { ["default"] = true, ["vif"] = JsonNode.Parse(Vif) },
        };
        var sources = new Dictionary<string, VifSource> { ["eth2"] = new("port", "PORT", Network: "ns/nad1") };

        var status = NetworkStatus.Build(vifs, sources);

        Assert.Equal(["eth0", "eth2", "eth10"], status.Select(s => s.Interface));
        Assert.Equal(["kuryr", "ns/nad1", "NET"], status.Select(s => s.Name));
        Assert.Equal(["10.0.0.5"], status[0].Ips);
        Assert.Equal("fa:16:3e:00:00:01", status[0].Mac);
        Assert.Equal(["10.0.0.2"], status[0].Dns.Nameservers!);
        Assert.True(status[0].Default);
        Assert.False(status[1].Default);
    }

    [Fact]
    public void A_malformed_sources_annotation_fails_naming_the_annotation()
    {
        var kp = new KuryrPort { Metadata = new ObjectMeta { Name = "p", Namespace = "n", Annotations = new() { [KuryrConstants.VifSourcesAnnotation] = "{\"eth0\":{\"kind\":\"pool\",\"portId\":\"x\"}}" } } };

        var e = Assert.Throws<KuryrPortFormatException>(() => VifSources.Parse(kp));

        Assert.Contains(KuryrConstants.VifSourcesAnnotation, e.Message, StringComparison.Ordinal);
        Assert.Contains("\"eth0\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "node", "spec.podUid")]
    [InlineData("uid", null, "spec.podNodeName")]
    public void A_kuryrport_without_its_spec_fields_fails_naming_the_field(string? uid, string? node, string field)
    {
        var kp = new KuryrPort { Metadata = new ObjectMeta { Name = "p", Namespace = "n" }, Spec = new KuryrPortSpec { PodUid = uid, PodNodeName = node } };

        var e = Assert.Throws<KuryrPortFormatException>(() => KuryrPortIdentity.Of(kp));

        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }
}
