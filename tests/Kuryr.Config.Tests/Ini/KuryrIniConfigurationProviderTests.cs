using Kuryr.Config.Ini;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Tests.Ini;

public sealed class KuryrIniConfigurationProviderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuryr-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Reads_a_file_into_section_colon_option_keys_with_the_last_value()
    {
        var path = Path.Combine(_dir, "kuryr.conf");
        File.WriteAllText(path, "[vif_pool]\nports_pool_min = 1\nports_pool_min = 7\n");

        var config = new ConfigurationBuilder().AddKuryrIniFile(path).Build();

        Assert.Equal("7", config["vif_pool:ports_pool_min"]);
        Assert.Equal("7", config["VIF_POOL:PORTS_POOL_MIN"]);
        var provider = Assert.IsType<KuryrIniConfigurationProvider>(Assert.Single(config.Providers));
        Assert.Equal(["1", "7"], provider.Document.GetAll("vif_pool", "ports_pool_min").Select(e => e.Value));
        Assert.Equal($"{path}:3", ((IKuryrConfigurationOrigin)provider).DescribeOrigin("vif_pool", "ports_pool_min"));
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it_unless_optional()
    {
        var path = Path.Combine(_dir, "absent.conf");

        var ex = Assert.Throws<KuryrConfigException>(() => new ConfigurationBuilder().AddKuryrIniFile(path).Build());
        Assert.Equal(path, Assert.Single(ex.Problems).Location);
        Assert.Contains("cannot read", ex.Message, StringComparison.Ordinal);

        var optional = new ConfigurationBuilder().AddKuryrIniFile(path, optional: true).Build();
        Assert.Empty(optional.AsEnumerable());
    }

    [Fact]
    public void A_malformed_file_fails_with_its_path_and_line()
    {
        var path = Path.Combine(_dir, "bad.conf");
        File.WriteAllText(path, "[kubernetes]\npod_vif_driver\n");

        var ex = Assert.Throws<KuryrConfigException>(() => new ConfigurationBuilder().AddKuryrIniFile(path).Build());

        Assert.Equal($"{path}:2", Assert.Single(ex.Problems).Location);
    }

    [Fact]
    public void Later_files_override_earlier_ones()
    {
        var a = Path.Combine(_dir, "a.conf");
        var b = Path.Combine(_dir, "b.conf");
        File.WriteAllText(a, "[vif_pool]\nports_pool_min = 1\nports_pool_batch = 4\n");
        File.WriteAllText(b, "[vif_pool]\nports_pool_min = 2\n");

        var config = KuryrConfig.Load([a, b], new Dictionary<string, string>());

        Assert.Equal(2, config.VifPool.PortsPoolMin);
        Assert.Equal(4, config.VifPool.PortsPoolBatch);
    }
}
