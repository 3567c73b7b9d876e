namespace Kuryr.Config.Tests;

public sealed class ConfigProblemTests
{
    [Fact]
    public void Formats_location_section_option_value_and_reason()
    {
        Assert.Equal("kuryr.conf:3 [vif_pool] ports_pool_min = \"-1\": must be an integer >= 0",
            new ConfigProblem("kuryr.conf:3", "vif_pool", "ports_pool_min", "-1", "must be an integer >= 0").ToString());
        Assert.Equal("(default) [neutron_defaults] project: required",
            new ConfigProblem("(default)", "neutron_defaults", "project", null, "required").ToString());
        Assert.Equal("kuryr.conf:9: empty section name", new ConfigProblem("kuryr.conf:9", null, null, null, "empty section name").ToString());
    }

    [Fact]
    public void Escapes_values_onto_one_line()
    {
        Assert.Equal("a\\nb \\\"q\\\" \\t \\\\ \\u0001", ConfigProblem.Escape("a\nb \"q\" \t \\ \u0001"));
    }

    [Fact]
    public void One_problem_or_many_make_a_readable_message()
    {
        var one = new KuryrConfigException([new ConfigProblem("f:1", "s", "o", "v", "bad")]);
        Assert.Equal("Invalid Kuryr configuration: f:1 [s] o = \"v\": bad", one.Message);

        var two = new KuryrConfigException([new ConfigProblem("f:1", "s", "o", "v", "bad"), new ConfigProblem("f:2", "s", "p", "w", "worse")]);
        Assert.Equal("Invalid Kuryr configuration (2 problems):\n  - f:1 [s] o = \"v\": bad\n  - f:2 [s] p = \"w\": worse", two.Message);
    }
}
