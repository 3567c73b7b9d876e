using Kuryr.Kubernetes.Informers;

namespace Kuryr.Kubernetes.Tests.Informers;

public class BackoffTests
{
    [Fact]
    public void Doubles_up_to_the_cap_and_starts_over_after_Reset()
    {
        var b = new Backoff(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(30), jitter: 0, random: () => 0.5);
        var delays = Enumerable.Range(0, 8).Select(_ => b.Next().TotalMilliseconds).ToArray();
        Assert.Equal([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000], delays);
        b.Reset();
        Assert.Equal(TimeSpan.FromMilliseconds(800), b.Next());
    }

    [Theory]
    [InlineData(0.0, 1000)]
    [InlineData(0.5, 1500)]
    [InlineData(0.999, 1999)]
    public void Jitter_stretches_each_step_by_up_to_the_factor(double random, double expectedMs)
    {
        var b = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: 1.0, random: () => random);
        Assert.Equal(expectedMs, b.Next().TotalMilliseconds, 0.001);
    }
}
