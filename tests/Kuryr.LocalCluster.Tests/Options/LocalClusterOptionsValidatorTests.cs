using Kuryr.LocalCluster.Options;

namespace Kuryr.LocalCluster.Tests.Options;

public sealed class LocalClusterOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Empty(LocalClusterOptionsValidator.Validate(new LocalClusterOptions()));

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(LocalClusterOptions.MaxPodsPerNode + 1)]
    public void Pods_out_of_range_name_the_option(int pods)
    {
        var error = Assert.Single(LocalClusterOptionsValidator.Validate(new LocalClusterOptions { PodsPerNode = pods }));
        Assert.StartsWith("--pods:", error, StringComparison.Ordinal);
        Assert.Contains(pods.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("neutron")]
    [InlineData("Noop")]
    [InlineData("")]
    public void Unknown_pool_driver_names_the_option_and_the_choices(string driver)
    {
        var error = Assert.Single(LocalClusterOptionsValidator.Validate(new LocalClusterOptions { PoolDriver = driver }));
        Assert.StartsWith("--pool-driver:", error, StringComparison.Ordinal);
        Assert.Contains("pools, noop", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("relative/dir")]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("/tmp/a-run-dir-name-that-is-much-too-long-for-unix-socket-paths-below-it")]
    public void Bad_run_dir_names_the_option(string dir)
    {
        var error = Assert.Single(LocalClusterOptionsValidator.Validate(new LocalClusterOptions { RunDir = dir }));
        Assert.StartsWith("--run-dir:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var errors = LocalClusterOptionsValidator.Validate(new LocalClusterOptions { PodsPerNode = 0, PoolDriver = "x", RunDir = "x", TestBedEnv = " " });
        Assert.Equal(["--pods:", "--pool-driver:", "--run-dir:", "--testbed-env:"], errors.Select(e => e[..(e.IndexOf(':', StringComparison.Ordinal) + 1)]));
    }

    [Fact]
    public void Noop_is_not_pooled() => Assert.False(new LocalClusterOptions { PoolDriver = PoolDrivers.Noop }.Pooled);
}
