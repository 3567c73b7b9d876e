using Kuryr.LocalCluster.Processes;

namespace Kuryr.LocalCluster.Tests.Processes;

public sealed class TestBedEnvironmentTests
{
    [Fact]
    public void Parses_key_value_lines_keeping_equals_in_values()
    {
        var env = TestBedEnvironment.Parse("# c\nA=1\n\nURL=http://x/?a=b\n", "env");
        Assert.Equal("1", env["A"]);
        Assert.Equal("http://x/?a=b", env["URL"]);
    }

    [Fact]
    public void Missing_key_names_the_key_and_the_file()
    {
        var env = TestBedEnvironment.Parse("A=1\nEMPTY=\n", "/tmp/env");
        var e = Assert.Throws<KeyNotFoundException>(() => env["OS_PASSWORD"]);
        Assert.Contains("OS_PASSWORD", e.Message, StringComparison.Ordinal);
        Assert.Contains("/tmp/env", e.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => env["EMPTY"]);
    }

    [Fact]
    public void A_line_without_equals_is_refused() =>
        Assert.Contains("'garbage'", Assert.Throws<FormatException>(() => TestBedEnvironment.Parse("garbage\n", "env")).Message, StringComparison.Ordinal);

    [Fact]
    public void Missing_file_names_the_option() =>
        Assert.Contains("--testbed-env", Assert.Throws<FileNotFoundException>(() => TestBedEnvironment.Load("/nonexistent/env")).Message, StringComparison.Ordinal);
}
