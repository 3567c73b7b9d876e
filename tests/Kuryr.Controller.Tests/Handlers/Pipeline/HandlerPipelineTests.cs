using Kuryr.Controller.Handlers;
using Kuryr.Controller.Handlers.Pipeline;
using Kuryr.Kubernetes.Models;
using Kuryr.Testing.TestBed;

namespace Kuryr.Controller.Tests.Handlers.Pipeline;

/// <summary>The handler pipeline on the real kube-apiserver, with a test handler of ConfigMaps.</summary>
public sealed class HandlerPipelineTests(KubeTestBed bed) : IClassFixture<KubeTestBed>
{
    private const string Finalizer = "kuryr.node/test";

    [Fact]
    public async Task Present_then_finalize_with_deletion_timestamp_then_deleted_with_the_last_known_object()
    {
        await using var h = await PipelineHarness.StartAsync(bed, "pl-dispatch");
        var created = await h.CreateAsync("a", "1", Finalizer);
        await PipelineHarness.EventuallyAsync(() => h.Handler.For("a").Any(c => c.Kind == "present"), "present");

        await h.DeleteAsync("a");
        await PipelineHarness.EventuallyAsync(() => h.Handler.For("a").Any(c => c.Kind == "finalize"), "finalize");
        Assert.DoesNotContain(h.Handler.For("a"), c => c.Kind == "deleted");

        await h.Api.RemoveFinalizerAsync(KubernetesResources.ConfigMaps, h.Namespace, "a", Finalizer);
        await PipelineHarness.EventuallyAsync(() => h.Handler.For("a").Any(c => c.Kind == "deleted"), "deleted");

        var calls = h.Handler.For("a");
        var deleted = Assert.Single(calls, c => c.Kind == "deleted");
        Assert.Equal(created.Metadata.Uid, deleted.Uid);
        Assert.Equal("1", deleted.Value);
        // Order: every present before the first finalize, the deletion last.
        var kinds = calls.Select(c => c.Kind).ToList();
        Assert.True(kinds.IndexOf("finalize") > kinds.LastIndexOf("present"), string.Join(",", kinds));
        Assert.Equal("deleted", kinds[^1]);
    }

    [Fact]
    public async Task Bug_with_the_default_workers_sixteen_pods_waiting_on_neutron_held_every_worker_and_a_warm_pool_pod_waited_behind_them()
    {
        // The local cluster's burst: eight macvlan pods (a port create and a serialised VM-port update
        // each) held all eight kuryrport workers while bare-metal pods with a warm pool waited ~5 s.
        // Sixteen calls blocked "in Neutron" must leave a worker for the next object.
        await using var h = await PipelineHarness.StartAsync(bed, "pl-hol", workers: new Kuryr.Config.Options.KubernetesOptions().HandlerWorkers);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Handler.Behaviour = (call, ct) => call.Name.StartsWith("slow", StringComparison.Ordinal) ? release.Task.WaitAsync(ct) : Task.CompletedTask;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => h.CreateAsync("slow" + i, "0")));
        await PipelineHarness.EventuallyAsync(() => Enumerable.Range(0, 16).All(i => h.Handler.For("slow" + i).Count > 0), "16 calls blocked");

        await h.CreateAsync("warm", "0");
        await PipelineHarness.EventuallyAsync(() => h.Handler.For("warm").Count > 0, "the warm-pool pod handled while 16 others wait");
        release.SetResult();
    }

    [Fact]
    public async Task Events_of_one_object_never_overlap_and_the_last_call_sees_the_last_state()
    {
        await using var h = await PipelineHarness.StartAsync(bed, "pl-order", workers: 8);
        h.Handler.Behaviour = (_, ct) => Task.Delay(20, ct);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => h.CreateAsync("o" + i, "0")));
        for (var v = 1; v <= 15; v++)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => h.SetAsync("o" + i, v.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        await PipelineHarness.EventuallyAsync(
            () => Enumerable.Range(0, 4).All(i => h.Handler.For("o" + i) is { Count: > 0 } l && l[^1].Value == "15"), "the last value handled for every object");
        await Task.Delay(300);
        Assert.Equal(1, h.Handler.MaxConcurrencyPerKey);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal("15", h.Handler.For("o" + i)[^1].Value));
    }

    [Fact]
    public async Task Not_ready_and_failures_are_retried_with_growing_backoff_until_success()
    {
        await using var h = await PipelineHarness.StartAsync(bed, "pl-retry");
        var attempts = 0;
        h.Handler.Behaviour = (_, _) =>
        {
            var n = Interlocked.Increment(ref attempts);
            return n switch
            {
                1 or 2 => throw new ResourceNotReadyException("the KuryrNetwork has no subnet yet"),
                3 => throw new InvalidOperationException("boom"),
                _ => Task.CompletedTask,
            };
        };
        await h.CreateAsync("r", "1");
        await PipelineHarness.EventuallyAsync(() => Volatile.Read(ref attempts) >= 4, "4 attempts");
        await Task.Delay(1500);
        var calls = h.Handler.For("r");
        Assert.Equal(4, calls.Count);

        // Backoff 200 ms doubling: gaps of at least ~200, ~400, ~800 ms.
        var gaps = calls.Zip(calls.Skip(1), (a, b) => (b.At - a.At).TotalMilliseconds).ToList();
        Assert.True(gaps[0] >= 150, string.Join(", ", gaps));
        Assert.True(gaps[1] >= 350, string.Join(", ", gaps));
        Assert.True(gaps[2] >= 700, string.Join(", ", gaps));
    }

    [Fact]
    public async Task A_standby_handles_nothing_and_on_leadership_handles_everything_it_missed()
    {
        await using var h = await PipelineHarness.StartAsync(bed, "pl-standby", lead: false);
        await h.CreateAsync("kept", "1");
        await h.CreateAsync("gone", "1");
        await PipelineHarness.EventuallyAsync(() => h.Pipeline.GetActivity()[0].Queued >= 2, "keys queued while standby");
        await h.DeleteAsync("gone");
        await Task.Delay(500);
        Assert.Empty(h.Handler.Calls);

        h.StartLeading();
        await PipelineHarness.EventuallyAsync(
            () => h.Handler.For("kept").Any(c => c.Kind == "present") && h.Handler.For("gone").Any(c => c.Kind == "deleted"),
            "present for kept and deleted for gone");
        Assert.DoesNotContain(h.Handler.For("gone"), c => c.Kind == "present");

        // A second term re-queues the cache: the handler sees the object again (idempotent handlers).
        await h.StopLeadingAsync();
        var before = h.Handler.For("kept").Count;
        h.StartLeading();
        await PipelineHarness.EventuallyAsync(() => h.Handler.For("kept").Count > before, "kept handled again in the new term");
    }

    [Fact]
    public async Task A_call_running_when_the_term_ends_is_cancelled_and_handled_again_in_the_next_term()
    {
        await using var h = await PipelineHarness.StartAsync(bed, "pl-term");
        var first = true;
        h.Handler.Behaviour = async (_, ct) =>
        {
            if (first)
            {
                first = false;
                await Task.Delay(Timeout.Infinite, ct);
            }
        };
        await h.CreateAsync("t", "1");
        await PipelineHarness.EventuallyAsync(() => h.Pipeline.GetActivity()[0].InProgress == 1, "in progress");
        await PipelineHarness.EventuallyAsync(() => h.Pipeline.GetActivity()[0].LongestInProgress > TimeSpan.FromMilliseconds(200), "stuck time grows");
        Assert.Equal(h.Namespace + "/t", h.Pipeline.GetActivity()[0].OldestKey);

        await h.StopLeadingAsync();
        Assert.Equal(0, h.Pipeline.GetActivity()[0].InProgress);
        h.StartLeading();
        await PipelineHarness.EventuallyAsync(() => h.Handler.For("t").Count == 2, "handled again");
    }

    [Fact]
    public async Task Deleted_and_recreated_under_the_same_name_delivers_the_old_deletion_before_the_new_object()
    {
        await using var h = await PipelineHarness.StartAsync(bed, "pl-recreate", lead: false);
        var old = await h.CreateAsync("x", "old");
        await PipelineHarness.EventuallyAsync(() => h.Pipeline.GetActivity()[0].Queued == 1, "queued");
        await h.DeleteAsync("x");
        var fresh = await h.CreateAsync("x", "new");
        await Task.Delay(500);
        h.StartLeading();
        await PipelineHarness.EventuallyAsync(() => h.Handler.For("x").Any(c => c.Kind == "present"), "present");
        var calls = h.Handler.For("x");
        Assert.Equal(["deleted", "present"], calls.Select(c => c.Kind));
        Assert.Equal(old.Metadata.Uid, calls[0].Uid);
        Assert.Equal(fresh.Metadata.Uid, calls[1].Uid);
    }
}
