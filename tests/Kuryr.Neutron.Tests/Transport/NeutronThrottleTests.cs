using Kuryr.Config.Options;
using Kuryr.Neutron.Diagnostics;
using Kuryr.Neutron.Transport;
using Microsoft.Extensions.Options;

namespace Kuryr.Neutron.Tests.Transport;

public class NeutronThrottleTests
{
    private static NeutronThrottle Create(Action<NeutronOptions> configure)
    {
        var o = new NeutronOptions();
        configure(o);
        return new NeutronThrottle(Options.Create(o), new NeutronMetrics());
    }

    [Fact]
    public async Task Requests_over_the_burst_wait_in_order_and_are_not_dropped()
    {
        // 4 tokens per second, burst 2: the 3rd and 4th callers queue, then get through in FIFO order.
        using var throttle = Create(o =>
        {
            o.RequestsPerSecond = 4;
            o.RequestsBurst = 2;
        });

        await throttle.AcquireRequestAsync(CancellationToken.None);
        await throttle.AcquireRequestAsync(CancellationToken.None);
        var order = new List<int>();
        var third = throttle.AcquireRequestAsync(CancellationToken.None).AsTask().ContinueWith(_ => { lock (order) { order.Add(3); } }, TaskScheduler.Default);
        var fourth = throttle.AcquireRequestAsync(CancellationToken.None).AsTask().ContinueWith(_ => { lock (order) { order.Add(4); } }, TaskScheduler.Default);

        await Task.WhenAll(third, fourth);

        Assert.Equal([3, 4], order);
        Assert.Equal(0, throttle.RateLimitQueued);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue()
    {
        using var throttle = Create(o =>
        {
            o.RequestsPerSecond = 0.01;
            o.RequestsBurst = 1;
        });
        await throttle.AcquireRequestAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();

        var waiting = throttle.AcquireRequestAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, throttle.RateLimitQueued);
    }

    [Fact]
    public async Task Zero_requests_per_second_disables_the_limit()
    {
        using var throttle = Create(o =>
        {
            o.RequestsPerSecond = 0;
            o.RequestsBurst = 1;
        });

        for (var i = 0; i < 100; i++)
        {
            await throttle.AcquireRequestAsync(CancellationToken.None);
        }

        Assert.Equal(long.MaxValue, throttle.RateLimitAvailable);
    }

    [Fact]
    public async Task Bulk_creates_beyond_the_cap_wait_for_a_free_slot()
    {
        using var throttle = Create(o => o.BulkCreateConcurrency = 2);

        var a = await throttle.AcquireBulkCreateAsync(CancellationToken.None);
        var b = await throttle.AcquireBulkCreateAsync(CancellationToken.None);
        var c = throttle.AcquireBulkCreateAsync(CancellationToken.None).AsTask();

        Assert.False(c.IsCompleted);
        Assert.Equal(1, throttle.BulkCreateQueued);

        a.Dispose();
        a.Dispose(); // a second dispose must not free a second slot
        using var third = await c;
        var d = throttle.AcquireBulkCreateAsync(CancellationToken.None).AsTask();
        Assert.False(d.IsCompleted);

        b.Dispose();
        (await d).Dispose();
    }
}
