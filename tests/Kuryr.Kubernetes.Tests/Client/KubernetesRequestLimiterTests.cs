using Kuryr.Kubernetes.Client;
using Kuryr.Testing.Time;

namespace Kuryr.Kubernetes.Tests.Client;

public sealed class KubernetesRequestLimiterTests
{
    [Fact]
    public async Task Requests_over_the_burst_wait_for_tokens_instead_of_failing()
    {
        var time = new ManualTimeProvider();
        using var limiter = new KubernetesRequestLimiter(qps: 2, burst: 3, time);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.AcquireAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully);
        }

        var fourth = limiter.AcquireAsync(CancellationToken.None).AsTask();
        var fifth = limiter.AcquireAsync(CancellationToken.None).AsTask();
        Assert.False(fourth.IsCompleted);
        Assert.Equal(2, limiter.QueuedCount);

        time.Advance(TimeSpan.FromMilliseconds(500)); // one token per 1/qps
        await fourth;
        Assert.False(fifth.IsCompleted);
        Assert.Equal(1, limiter.QueuedCount);

        time.Advance(TimeSpan.FromMilliseconds(500));
        await fifth;
        Assert.Equal(0, limiter.QueuedCount);
        Assert.Equal(2, limiter.DelayedCount);
    }

    [Fact]
    public async Task Tokens_refill_up_to_the_burst_only()
    {
        var time = new ManualTimeProvider();
        using var limiter = new KubernetesRequestLimiter(qps: 10, burst: 2, time);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, limiter.AvailableTokens);
        await limiter.AcquireAsync(CancellationToken.None);
        await limiter.AcquireAsync(CancellationToken.None);
        Assert.False(limiter.AcquireAsync(CancellationToken.None).AsTask().IsCompleted);
    }

    [Fact]
    public async Task A_waiting_request_can_be_cancelled()
    {
        var time = new ManualTimeProvider();
        using var limiter = new KubernetesRequestLimiter(qps: 1, burst: 1, time);
        await limiter.AcquireAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void Zero_qps_disables_the_limit()
    {
        using var limiter = new KubernetesRequestLimiter(qps: 0, burst: 0, new ManualTimeProvider());
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(limiter.AcquireAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully);
        }

        Assert.False(limiter.Enabled);
    }
}
