using System.Text.Json.Nodes;
using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Results;
using Kuryr.Cni.Spec.Versions;

namespace Kuryr.Cni.Spec.Tests.Results;

public sealed class CniResultConverterTests
{
    internal static CniResult Sample() => new()
    {
        CniVersion = CniVersions.V100,
        Interfaces = [new CniInterface { Name = "eth0", Mac = "fa:16:3e:00:00:01", Sandbox = "/var/run/netns/p", Mtu = 1450 }],
        Ips =
        [
            new CniIpConfig { Address = "10.1.0.5/26", Gateway = "10.1.0.1", Interface = 0 },
            new CniIpConfig { Address = "fd00::5/64", Gateway = "fd00::1", Interface = 0 },
        ],
        Routes = [new CniRoute { Dst = "0.0.0.0/0", Gw = "10.1.0.1", Mtu = 1400 }, new CniRoute { Dst = "192.168.0.0/16", Gw = "10.1.0.2" }],
        Dns = new CniDns { Nameservers = ["10.1.0.2"], Search = ["svc.cluster.local"] },
    };

    [Theory]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    public void Old_versions_get_ips_version_first_and_lose_1_1_fields(string version)
    {
        var node = CniResultConverter.Write(Sample(), version);
        Assert.Equal(version, node["cniVersion"]!.GetValue<string>());
        var ips = node["ips"]!.AsArray();
        Assert.Equal("4", ips[0]!["version"]!.GetValue<string>());
        Assert.Equal("6", ips[1]!["version"]!.GetValue<string>());
        Assert.Equal("version", ips[0]!.AsObject().First().Key);
        Assert.Null(node["interfaces"]![0]!["mtu"]);
        Assert.Null(node["routes"]![0]!["mtu"]);
        Assert.Equal("10.1.0.5/26", ips[0]!["address"]!.GetValue<string>());
    }

    [Fact]
    public void Version_1_0_0_has_no_ips_version_and_1_1_0_keeps_interface_mtu()
    {
        var v100 = CniResultConverter.Write(Sample(), "1.0.0");
        Assert.Null(v100["ips"]![0]!["version"]);
        Assert.Null(v100["interfaces"]![0]!["mtu"]);
        var v110 = CniResultConverter.Write(Sample(), "1.1.0");
        Assert.Equal(1450, v110["interfaces"]![0]!["mtu"]!.GetValue<int>());
        Assert.Equal(1400, v110["routes"]![0]!["mtu"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("0.3.1", "1.0.0")]
    [InlineData("0.4.0", "1.0.0")]
    [InlineData("1.0.0", "0.3.1")]
    [InlineData("1.0.0", "0.4.0")]
    [InlineData("0.3.1", "0.4.0")]
    [InlineData("1.1.0", "0.3.1")]
    public void Round_trips_through_any_version_keep_every_address_route_and_nameserver(string via, string to)
    {
        var first = CniResultConverter.Write(Sample(), via);
        var back = CniResultConverter.Convert(CniResultConverter.Convert(first, via, to), to, "1.0.0");
        var expected = CniResultConverter.Write(Sample(), "1.0.0");
        Assert.True(JsonNode.DeepEquals(expected, back), $"{expected.ToJsonString()} != {back.ToJsonString()}");
    }

    [Fact]
    public void A_0_3_0_prevResult_is_readable()
    {
        var node = JsonNode.Parse("""{"cniVersion":"0.3.0","ips":[{"version":"4","address":"10.0.0.2/24"}]}""");
        Assert.Equal("10.0.0.2/24", CniResultConverter.Read(node, "0.3.0").Ips![0].Address);
    }

    [Theory]
    [InlineData("0.2.0")]
    [InlineData("2.0.0")]
    public void Unknown_result_versions_are_error_1(string version)
    {
        var error = Assert.Throws<CniException>(() => CniResultConverter.Read(new JsonObject(), version, "prevResult")).Error;
        Assert.Equal(CniErrorCodes.IncompatibleVersion, error.Code);
        Assert.Contains(version, error.Msg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[]""", "expected a JSON object")]
    [InlineData("""{"ips":[{"address":"10.0.0.1"}]}""", "ips[0].address \"10.0.0.1\" is not an address/prefix")]
    [InlineData("""{"ips":[{"address":"10.0.0.1/33"}]}""", "ips[0].address")]
    [InlineData("""{"ips":[{"address":"10.0.0.1/24","gateway":"x"}]}""", "ips[0].gateway \"x\"")]
    [InlineData("""{"ips":[{"address":"10.0.0.1/24","interface":1}]}""", "ips[0].interface 1 is not an index")]
    [InlineData("""{"routes":[{"dst":"nope"}]}""", "routes[0].dst")]
    [InlineData("""{"routes":[{"dst":"0.0.0.0/0","gw":"g"}]}""", "routes[0].gw")]
    [InlineData("""{"interfaces":[{"mac":"x"}]}""", "interfaces[0].name is missing")]
    [InlineData("""{"ips":"x"}""", "failed to decode content at $.ips")]
    [InlineData("""{"dns":{"nameservers":"8.8.8.8"}}""", "$.dns.nameservers")]
    public void Bad_results_are_error_6_naming_the_field(string json, string fragment)
    {
        var error = Assert.Throws<CniException>(() => CniResultConverter.Read(JsonNode.Parse(json), "1.0.0", "prevResult")).Error;
        Assert.Equal(CniErrorCodes.DecodeFailure, error.Code);
        Assert.Contains(fragment, error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_an_unsupported_version_is_error_1()
    {
        Assert.Equal(CniErrorCodes.IncompatibleVersion, Assert.Throws<CniException>(() => CniResultConverter.Write(Sample(), "0.2.0")).Code);
    }

    [Fact]
    public void Version_answer_lists_every_supported_version_and_echoes_a_known_request()
    {
        Assert.Equal(["0.3.1", "0.4.0", "1.0.0", "1.1.0"], CniVersionResult.For(null).SupportedVersions);
        Assert.Equal("1.1.0", CniVersionResult.For(null).CniVersion);
        Assert.Equal("0.4.0", CniVersionResult.For("0.4.0").CniVersion);
        Assert.Equal("1.1.0", CniVersionResult.For("7.0.0").CniVersion);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(11)]
    [InlineData(50)]
    [InlineData(51)]
    [InlineData(100)]
    [InlineData(999)]
    public void Every_error_code_has_its_own_description(int code)
    {
        Assert.NotEqual("error", CniErrorCodes.Describe(code));
    }
}
