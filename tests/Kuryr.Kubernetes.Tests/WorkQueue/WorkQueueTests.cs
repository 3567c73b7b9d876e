using System.Collections.Concurrent;
using Kuryr.Kubernetes.WorkQueue;
using Kuryr.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Kubernetes.Tests.WorkQueue;

public class WorkQueueTests
{
    private static WorkQueue<string> NewQueue(TimeProvider? time = null, WorkQueueOptions? options = null)
    {
        time ??= new ManualTimeProvider();
        return new WorkQueue<string>("test", WorkQueueRateLimiters.Default<string>(options ?? new WorkQueueOptions(), time), time, NullLogger.Instance);
    }

    private static async Task<string> TakeAsync(WorkQueue<string> q)
    {
        var item = await q.GetAsync();
        Assert.False(item.Shutdown);
        return item.Key;
    }

    [Fact]
    public async Task Keys_come_out_in_the_order_they_were_added()
    {
        using var q = NewQueue();
        foreach (var k in new[] { "c", "a", "b" })
        {
            q.Add(k);
        }

        Assert.Equal("c", await TakeAsync(q));
        Assert.Equal("a", await TakeAsync(q));
        Assert.Equal("b", await TakeAsync(q));
    }

    [Fact]
    public async Task A_key_queued_twice_is_processed_once()
    {
        using var q = NewQueue();
        q.Add("a");
        q.Add("b");
        q.Add("a");
        Assert.Equal(2, q.Count);
        Assert.Equal("a", await TakeAsync(q));
        Assert.Equal("b", await TakeAsync(q));
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public async Task A_key_added_while_processing_is_queued_again_only_after_Done()
    {
        using var q = NewQueue();
        q.Add("a");
        var a = await TakeAsync(q);
        q.Add("a");
        q.Add("a");
        Assert.Equal(0, q.Count);

        var second = q.GetAsync().AsTask();
        Assert.False(second.IsCompleted);

        q.Done(a);
        var item = await second;
        Assert.Equal("a", item.Key);
        q.Done("a");
        Assert.Equal(0, q.Count);
        Assert.Equal(0, q.ProcessingCount);
    }

    [Fact]
    public async Task A_waiting_getter_receives_a_key_added_later()
    {
        using var q = NewQueue();
        var pending = q.GetAsync().AsTask();
        Assert.False(pending.IsCompleted);
        q.Add("x");
        Assert.Equal("x", (await pending).Key);
        Assert.Equal(1, q.ProcessingCount);
    }

    [Fact]
    public async Task A_cancelled_getter_does_not_swallow_the_next_key()
    {
        using var q = NewQueue();
        using var cts = new CancellationTokenSource();
        var cancelled = q.GetAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelled);

        q.Add("x");
        Assert.Equal(1, q.Count);
        Assert.Equal("x", await TakeAsync(q));
    }

    [Fact]
    public void Done_for_a_key_not_being_processed_throws()
    {
        using var q = NewQueue();
        var ex = Assert.Throws<InvalidOperationException>(() => q.Done("ghost"));
        Assert.Contains("ghost", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAfter_holds_the_key_until_its_time_and_keeps_the_earlier_time()
    {
        var time = new ManualTimeProvider();
        using var q = NewQueue(time);
        q.AddAfter("a", TimeSpan.FromSeconds(10));
        q.AddAfter("a", TimeSpan.FromSeconds(3));
        q.AddAfter("a", TimeSpan.FromSeconds(20));
        Assert.Equal(0, q.Count);
        Assert.Equal(1, q.WaitingCount);

        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal(0, q.Count);
        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, q.Count);
        Assert.Equal(0, q.WaitingCount);
        Assert.Equal("a", await TakeAsync(q));

        // Nothing left over from the later requests.
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public async Task Delayed_keys_come_out_in_due_order()
    {
        var time = new ManualTimeProvider();
        using var q = NewQueue(time);
        q.AddAfter("late", TimeSpan.FromSeconds(5));
        q.AddAfter("early", TimeSpan.FromSeconds(1));
        q.AddAfter("middle", TimeSpan.FromSeconds(3));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("early", await TakeAsync(q));
        Assert.Equal("middle", await TakeAsync(q));
        Assert.Equal("late", await TakeAsync(q));
    }

    [Fact]
    public void AddRateLimited_backs_off_exponentially_per_key_and_Forget_resets()
    {
        var time = new ManualTimeProvider();
        using var q = NewQueue(time, new WorkQueueOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromSeconds(1000), RetriesPerSecond = 0 });
        var expected = new[] { 5, 10, 20, 40 };
        foreach (var ms in expected)
        {
            q.AddRateLimited("a");
            time.Advance(TimeSpan.FromMilliseconds(ms - 1));
            Assert.Equal(0, q.Count);
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, q.Count);
            Assert.True(q.GetAsync().AsTask().IsCompleted);
            q.Done("a");
        }

        Assert.Equal(4, q.NumRequeues("a"));
        Assert.Equal(0, q.NumRequeues("b"));

        q.Forget("a");
        Assert.Equal(0, q.NumRequeues("a"));
        q.AddRateLimited("a");
        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, q.Count);
    }

    [Fact]
    public async Task ShutDown_hands_out_the_queued_keys_then_reports_shutdown_and_refuses_new_keys()
    {
        var time = new ManualTimeProvider();
        using var q = NewQueue(time);
        q.Add("a");
        q.Add("b");
        q.AddAfter("later", TimeSpan.FromSeconds(1));
        q.ShutDown();
        q.Add("c");
        q.AddRateLimited("d");
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(q.IsShuttingDown);
        Assert.Equal("a", await TakeAsync(q));
        Assert.Equal("b", await TakeAsync(q));
        Assert.True((await q.GetAsync()).Shutdown);
    }

    [Fact]
    public async Task ShutDown_releases_waiting_getters()
    {
        using var q = NewQueue();
        var g1 = q.GetAsync().AsTask();
        var g2 = q.GetAsync().AsTask();
        Assert.False(g1.IsCompleted);
        q.ShutDown();
        Assert.True((await g1).Shutdown);
        Assert.True((await g2).Shutdown);
    }

    [Fact]
    public async Task ShutDownWithDrain_waits_until_held_keys_are_done()
    {
        using var q = NewQueue();
        q.Add("a");
        var a = await TakeAsync(q);
        var drain = q.ShutDownWithDrainAsync();
        Assert.False(drain.IsCompleted);
        q.Done(a);
        await drain;
        Assert.Equal(0, q.ProcessingCount);
    }

    [Fact]
    public async Task Many_workers_never_process_one_key_at_once_and_no_add_is_lost()
    {
        using var q = NewQueue(TimeProvider.System);
        const int Keys = 20;
        const int Adds = 20_000;
        var inFlight = new int[Keys];
        var addedVersion = new long[Keys];
        var seenVersion = new long[Keys];
        var overlaps = 0;
        var stop = new CancellationTokenSource();

        async Task Worker()
        {
            while (true)
            {
                var item = await q.GetAsync();
                if (item.Shutdown)
                {
                    return;
                }

                var k = int.Parse(item.Key, System.Globalization.CultureInfo.InvariantCulture);
                if (Interlocked.Increment(ref inFlight[k]) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                // Everything added before this point is covered by this run.
                var v = Volatile.Read(ref addedVersion[k]);
                await Task.Yield();
                if (Random.Shared.Next(4) == 0)
                {
                    Thread.SpinWait(200);
                }

                Interlocked.Decrement(ref inFlight[k]);
                InterlockedMax(ref seenVersion[k], v);
                q.Done(item.Key);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(Worker)).ToArray();
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            for (var i = 0; i < Adds / 4; i++)
            {
                var k = Random.Shared.Next(Keys);
                Interlocked.Increment(ref addedVersion[k]);
                q.Add(k.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        })).ToArray();
        await Task.WhenAll(producers);
        await q.ShutDownWithDrainAsync();
        await Task.WhenAll(workers);

        Assert.Equal(0, overlaps);
        for (var k = 0; k < Keys; k++)
        {
            Assert.Equal(addedVersion[k], seenVersion[k]);
        }
    }

    [Fact]
    public async Task Workers_retry_a_failing_key_with_backoff_and_forget_it_on_success()
    {
        var time = new ManualTimeProvider();
        using var q = NewQueue(time, new WorkQueueOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60), RetriesPerSecond = 0 });
        var attempts = new ConcurrentQueue<int>();
        var failuresLeft = 3;
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();
        var run = q.RunAsync(2, (key, _) =>
        {
            attempts.Enqueue(q.NumRequeues(key));
            if (Interlocked.Decrement(ref failuresLeft) >= 0)
            {
                throw new InvalidOperationException("boom");
            }

            succeeded.TrySetResult();
            return Task.CompletedTask;
        }, NullLogger.Instance, cts.Token);

        q.Add("k");
        for (var i = 0; i < 3; i++)
        {
            // Wait for the failed attempt to park the key in the delay heap, then let time pass.
            await WaitUntil(() => q.WaitingCount == 1);
            time.Advance(TimeSpan.FromSeconds(1 << i));
        }

        await succeeded.Task;
        await WaitUntil(() => q.ProcessingCount == 0);
        Assert.Equal([0, 1, 2, 3], attempts.ToArray());
        Assert.Equal(0, q.NumRequeues("k"));

        q.ShutDown();
        await run;
    }

    [Fact]
    public void Options_with_a_bad_value_name_the_field()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => WorkQueueRateLimiters.Default<string>(new WorkQueueOptions { MaxDelay = TimeSpan.FromMilliseconds(1) }, TimeProvider.System));
        Assert.Contains("MaxDelay", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => WorkQueueRateLimiters.Default<string>(new WorkQueueOptions { RetryBurst = 0 }, TimeProvider.System));
        Assert.Contains("RetryBurst", ex.Message, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        // Not a timed assertion: polls until the condition holds; xunit's run is the outer bound.
        while (!condition())
        {
            await Task.Delay(1);
        }
    }
}
