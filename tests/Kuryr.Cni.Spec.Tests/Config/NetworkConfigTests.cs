using System.Text;
using Kuryr.Cni.Spec.Config;
using Kuryr.Cni.Spec.Errors;

namespace Kuryr.Cni.Spec.Tests.Config;

public sealed class NetworkConfigTests
{
    private static NetworkConfig Parse(string json, bool requireName = true) => NetworkConfig.Parse(Encoding.UTF8.GetBytes(json), requireName);

    private static CniError Fails(string json, bool requireName = true) => Assert.Throws<CniException>(() => Parse(json, requireName)).Error;

    [Fact]
    public void Kuryrs_conflist_entry_parses_and_keeps_plugin_keys()
    {
        var config = Parse("""{"cniVersion":"0.3.1","name":"kuryr","type":"kuryr-cni","kuryr_conf":"/etc/kuryr/kuryr.conf","debug":true,"extra":{"a":1}}""");
        Assert.Equal("0.3.1", config.CniVersion);
        Assert.Equal("kuryr", config.Name);
        Assert.Equal("kuryr-cni", config.Type);
        Assert.Equal("/etc/kuryr/kuryr.conf", config.KuryrConf);
        Assert.True(config.Debug);
        Assert.Equal(1, config.Raw["extra"]!["a"]!.GetValue<int>());
        Assert.Null(config.PrevResultNode);
    }

    [Fact]
    public void Runtime_keys_and_valid_attachments_are_read()
    {
        var config = Parse("""
            {"cniVersion":"1.1.0","name":"n","type":"kuryr-cni","socket":"/run/x.sock","timeout":30,
             "runtimeConfig":{"portMappings":[]},
             "cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"},{"containerID":"c2","ifname":"net1"}]}
            """);
        Assert.Equal("/run/x.sock", config.Socket);
        Assert.Equal(30, config.TimeoutSeconds);
        Assert.NotNull(config.RuntimeConfig);
        Assert.Equal([new CniAttachment("c1", "eth0"), new CniAttachment("c2", "net1")], config.ValidAttachments);
    }

    [Theory]
    [InlineData("", CniErrorCodes.DecodeFailure, "empty")]
    [InlineData("   \n", CniErrorCodes.DecodeFailure, "empty")]
    [InlineData("{", CniErrorCodes.DecodeFailure, "not valid JSON")]
    [InlineData("[1,2]", CniErrorCodes.DecodeFailure, "an array")]
    [InlineData("\"x\"", CniErrorCodes.DecodeFailure, "a string")]
    [InlineData("""{"name":"n"}""", CniErrorCodes.InvalidNetworkConfig, "cniVersion is missing")]
    [InlineData("""{"cniVersion":1,"name":"n"}""", CniErrorCodes.DecodeFailure, "\"cniVersion\" must be a string, not a number")]
    [InlineData("""{"cniVersion":"0.2.0","name":"n"}""", CniErrorCodes.IncompatibleVersion, "\"0.2.0\"")]
    [InlineData("""{"cniVersion":"9.9.9","name":"n"}""", CniErrorCodes.IncompatibleVersion, "\"9.9.9\"")]
    [InlineData("""{"cniVersion":"1.0.0"}""", CniErrorCodes.InvalidNetworkConfig, "name is missing")]
    [InlineData("""{"cniVersion":"1.0.0","name":["n"]}""", CniErrorCodes.DecodeFailure, "\"name\" must be a string")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":7}""", CniErrorCodes.DecodeFailure, "\"type\" must be a string")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","prevResult":[]}""", CniErrorCodes.DecodeFailure, "\"prevResult\" must be an object")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","runtimeConfig":"x"}""", CniErrorCodes.DecodeFailure, "\"runtimeConfig\" must be an object")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","debug":"yes"}""", CniErrorCodes.DecodeFailure, "\"debug\" must be a boolean")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","socket":"rel.sock"}""", CniErrorCodes.InvalidNetworkConfig, "socket")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","timeout":0}""", CniErrorCodes.InvalidNetworkConfig, "timeout")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","timeout":1.5}""", CniErrorCodes.DecodeFailure, "\"timeout\" must be an integer")]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","cni.dev/valid-attachments":{}}""", CniErrorCodes.DecodeFailure, "valid-attachments\" must be an array")]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","cni.dev/valid-attachments":[{"ifname":"eth0"}]}""", CniErrorCodes.InvalidNetworkConfig, "valid-attachments[0].containerID is missing")]
    [InlineData("""{"cniVersion":"1.1.0","name":"n","cni.dev/valid-attachments":[3]}""", CniErrorCodes.DecodeFailure, "valid-attachments[0]\" must be an object")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","name":"m"}""", CniErrorCodes.DecodeFailure, "not valid JSON")]
    public void Bad_configs_fail_with_the_right_code_naming_the_field(string json, int code, string fragment)
    {
        var error = Fails(json);
        Assert.Equal(code, error.Code);
        Assert.Contains(fragment, error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_input_is_refused_before_parsing()
    {
        var huge = new byte[NetworkConfig.MaxBytes + 1];
        huge.AsSpan().Fill((byte)' ');
        var error = Assert.Throws<CniException>(() => NetworkConfig.Parse(huge)).Error;
        Assert.Equal(CniErrorCodes.DecodeFailure, error.Code);
        Assert.Contains("more than the 1048576", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_a_decode_error_not_a_crash()
    {
        var json = """{"cniVersion":"1.0.0","name":"n","x":""" + new string('[', 5000) + new string(']', 5000) + "}";
        Assert.Equal(CniErrorCodes.DecodeFailure, Fails(json).Code);
    }

    [Fact]
    public void Name_is_not_required_for_status_and_gc()
    {
        Assert.Null(Parse("""{"cniVersion":"1.1.0"}""", requireName: false).Name);
    }

    [Fact]
    public void A_prevResult_with_a_bad_address_names_the_field()
    {
        var config = Parse("""{"cniVersion":"1.0.0","name":"n","prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.300/24"}]}}""");
        var error = Assert.Throws<CniException>(() => config.ReadPrevResult()).Error;
        Assert.Equal(CniErrorCodes.DecodeFailure, error.Code);
        Assert.Contains("prevResult: ips[0].address", error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prevResult_with_a_wrong_type_names_the_path()
    {
        var config = Parse("""{"cniVersion":"1.0.0","name":"n","prevResult":{"interfaces":[{"name":5}]}}""");
        var error = Assert.Throws<CniException>(() => config.ReadPrevResult()).Error;
        Assert.Equal(CniErrorCodes.DecodeFailure, error.Code);
        Assert.Contains("interfaces[0].name", error.Msg, StringComparison.Ordinal);
    }
}
