using Kuryr.Kubernetes.WorkQueue;
using Kuryr.Testing.Time;

namespace Kuryr.Kubernetes.Tests.WorkQueue;

public class RateLimitersTests
{
    [Fact]
    public void Exponential_doubles_from_base_and_stops_at_the_cap()
    {
        var limiter = new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        var delays = Enumerable.Range(0, 20).Select(_ => limiter.NextDelay("a")).ToArray();
        Assert.Equal(TimeSpan.FromMilliseconds(5), delays[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(10), delays[1]);
        Assert.Equal(TimeSpan.FromMilliseconds(5 * 1024), delays[10]);
        Assert.Equal(TimeSpan.FromMilliseconds(5 * 65536), delays[16]);
        Assert.Equal(TimeSpan.FromSeconds(1000), delays[18]);
        Assert.Equal(TimeSpan.FromSeconds(1000), delays[19]);

        // Far beyond: still the cap, no overflow.
        for (var i = 0; i < 2000; i++)
        {
            limiter.NextDelay("a");
        }

        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("other"));
    }

    [Fact]
    public void Forget_starts_the_key_over()
    {
        var limiter = new ExponentialFailureRateLimiter<string>(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(100));
        limiter.NextDelay("a");
        limiter.NextDelay("a");
        Assert.Equal(2, limiter.NumRequeues("a"));
        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.NextDelay("a"));
    }

    [Fact]
    public void Token_bucket_allows_a_burst_then_spaces_retries_and_refills_with_time()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucketRateLimiter<string>(perSecond: 2, burst: 3, time);
        Assert.Equal(TimeSpan.Zero, bucket.NextDelay("a"));
        Assert.Equal(TimeSpan.Zero, bucket.NextDelay("b"));
        Assert.Equal(TimeSpan.Zero, bucket.NextDelay("c"));
        Assert.Equal(TimeSpan.FromSeconds(0.5), bucket.NextDelay("d"));
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.NextDelay("e"));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, bucket.NextDelay("f"));
    }

    [Fact]
    public void Default_limiter_takes_the_longer_of_backoff_and_bucket()
    {
        var time = new ManualTimeProvider();
        var limiter = WorkQueueRateLimiters.Default<string>(new WorkQueueOptions { BaseDelay = TimeSpan.FromMilliseconds(5), RetriesPerSecond = 1, RetryBurst = 1 }, time);
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.NextDelay("b"));
        Assert.Equal(1, limiter.NumRequeues("a"));
    }
}
