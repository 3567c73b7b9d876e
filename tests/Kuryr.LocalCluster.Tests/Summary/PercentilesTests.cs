using Kuryr.LocalCluster.Summary;

namespace Kuryr.LocalCluster.Tests.Summary;

public sealed class PercentilesTests
{
    [Fact]
    public void Empty_sample_has_no_percentile() => Assert.Null(Percentiles.NearestRank([], 50));

    [Fact]
    public void Single_value_is_every_percentile()
    {
        Assert.Equal(7, Percentiles.NearestRank([7], 1));
        Assert.Equal(7, Percentiles.NearestRank([7], 99));
    }

    [Fact]
    public void Nearest_rank_on_an_unsorted_sample()
    {
        double[] values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
        Assert.Equal(5, Percentiles.NearestRank(values, 50));
        Assert.Equal(10, Percentiles.NearestRank(values, 99));
        Assert.Equal(9, Percentiles.NearestRank(values, 90));
        Assert.Equal(1, Percentiles.NearestRank(values, 10));
        Assert.Equal(10, Percentiles.NearestRank(values, 100));
    }

    [Fact]
    public void P99_of_a_hundred_values_is_the_99th()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).Reverse();
        Assert.Equal(99, Percentiles.NearestRank(values, 99));
        Assert.Equal(50, Percentiles.NearestRank(values, 50));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void Percentile_out_of_range_is_refused(double p) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.NearestRank([1, 2], p));
}
