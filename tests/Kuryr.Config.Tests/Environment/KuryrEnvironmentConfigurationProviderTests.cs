using Kuryr.Config.Environment;
using Kuryr.Config.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Tests.Environment;

public sealed class KuryrEnvironmentConfigurationProviderTests
{
    [Theory]
    [InlineData("KURYR_VIF_POOL__PORTS_POOL_MIN", "vif_pool", "ports_pool_min")]
    [InlineData("kuryr_vif_pool__ports_pool_min", "vif_pool", "ports_pool_min")]
    [InlineData("KURYR_DEFAULT__DEBUG", "DEFAULT", "debug")]
    [InlineData("KURYR_NEUTRON_DEFAULTS__POD_SUBNET", "neutron_defaults", "pod_subnet")]
    public void Maps_variable_names_to_section_and_option(string name, string section, string option)
    {
        Assert.True(KuryrEnvironmentConfigurationProvider.TryMap(name, "KURYR_", out var s, out var o));
        Assert.Equal(section, s);
        Assert.Equal(option, o);
    }

    [Theory]
    [InlineData("KURYR_NODE_NAME")]
    [InlineData("KURYR___X")]
    [InlineData("KURYR_VIF_POOL__")]
    [InlineData("PATH")]
    [InlineData("XKURYR_VIF_POOL__PORTS_POOL_MIN")]
    public void Skips_variables_that_are_not_options(string name)
    {
        Assert.False(KuryrEnvironmentConfigurationProvider.TryMap(name, "KURYR_", out _, out _));
    }

    [Fact]
    public void Environment_beats_the_file_and_the_message_names_the_variable()
    {
        var env = Conf.Env(("KURYR_VIF_POOL__PORTS_POOL_MIN", "3"), ("HOME", "/root"));

        var config = Conf.Load("[vif_pool]\nports_pool_min = 9\nports_pool_batch = 4\n", env);

        Assert.Equal(3, config.VifPool.PortsPoolMin);
        Assert.Equal(4, config.VifPool.PortsPoolBatch);

        var ex = Conf.Fails("[vif_pool]\nports_pool_min = 9\n", Conf.Env(("KURYR_VIF_POOL__PORTS_POOL_MIN", "-1")));
        var p = Assert.Single(ex.Problems);
        Assert.Equal("environment KURYR_VIF_POOL__PORTS_POOL_MIN [vif_pool] ports_pool_min = \"-1\": must be an integer >= 0", p.ToString());
    }

    [Fact]
    public void Reads_the_process_environment_when_no_variables_are_given()
    {
        var name = "KURYR_REDIS__KEY_PREFIX";
        System.Environment.SetEnvironmentVariable(name, "from-process-env");
        try
        {
            var config = new ConfigurationBuilder().AddKuryrEnvironmentVariables().Build();
            Assert.Equal("from-process-env", config["redis:key_prefix"]);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(name, null);
        }
    }
}
