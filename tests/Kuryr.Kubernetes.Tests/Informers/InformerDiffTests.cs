using Kuryr.Kubernetes.Informers;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Kubernetes.Tests.Informers;

/// <summary>The informer's cache/notification logic on its own (no API server involved: the client is never called).</summary>
public class InformerDiffTests
{
    private static Informer<KuryrPort> NewInformer() =>
        new(null!, KubernetesResources.KuryrPorts, new InformerOptions<KuryrPort>(), TimeProvider.System, NullLogger.Instance);

    private static KuryrPort P(string name, string rv) => InformerCacheTests.Port("ns", name, "n1", rv);

    [Fact]
    public void First_list_is_delivered_as_initial_adds_and_marks_the_informer_synced()
    {
        var informer = NewInformer();
        var rec = new EventRecorder<KuryrPort>();
        informer.AddEventHandler(rec);
        Assert.False(informer.HasSynced);

        informer.Replace([P("a", "1"), P("b", "2")], "10");

        Assert.True(informer.HasSynced);
        Assert.Equal("10", informer.LastSyncResourceVersion);
        Assert.Equal(["initial a rv1", "initial b rv2"], rec.Events);
        Assert.Equal("KuryrPort", informer.Cache.GetByKey("ns/a")!.Kind);
        Assert.Equal("openstack.org/v1", informer.Cache.GetByKey("ns/a")!.ApiVersion);
    }

    [Fact]
    public void A_relist_delivers_only_the_difference_with_tombstones_for_vanished_objects()
    {
        var informer = NewInformer();
        var rec = new EventRecorder<KuryrPort>();
        informer.Replace([P("same", "1"), P("changed", "2"), P("gone", "3")], "10");
        informer.AddEventHandler(rec);

        informer.Replace([P("same", "1"), P("changed", "12"), P("new", "13")], "20");

        Assert.Equal(
            ["initial same rv1", "initial changed rv2", "initial gone rv3", "update changed rv2->rv12", "add new rv13", "tombstone gone rv3"],
            rec.Events);
        Assert.Equal(["ns/changed", "ns/new", "ns/same"], informer.Cache.ListKeys().Order());
    }

    [Fact]
    public void Watch_events_update_the_cache_and_replayed_versions_are_not_delivered_twice()
    {
        var informer = NewInformer();
        var rec = new EventRecorder<KuryrPort>();
        informer.AddEventHandler(rec);
        informer.Replace([], "1");

        informer.Apply(WatchEventTypes.Added, P("a", "2"));
        informer.Apply(WatchEventTypes.Added, P("a", "2"));
        informer.Apply(WatchEventTypes.Modified, P("a", "3"));
        informer.Apply(WatchEventTypes.Modified, P("a", "3"));
        informer.Apply(WatchEventTypes.Deleted, P("a", "4"));
        informer.Apply(WatchEventTypes.Deleted, P("a", "4"));
        informer.Apply(WatchEventTypes.Deleted, P("never-seen", "5"));

        Assert.Equal(["add a rv2", "update a rv2->rv3", "delete a rv4"], rec.Events);
        Assert.Equal("5", informer.LastSyncResourceVersion);
        Assert.Equal(0, informer.Cache.Count);
    }

    [Fact]
    public void A_failing_handler_does_not_stop_the_others_and_a_removed_handler_hears_nothing()
    {
        var informer = NewInformer();
        var rec = new EventRecorder<KuryrPort>();
        informer.AddEventHandler(new InformerHandler<KuryrPort> { Added = (_, _) => throw new InvalidOperationException("boom") });
        var registration = informer.AddEventHandler(rec);
        informer.Replace([P("a", "1")], "1");
        registration.Dispose();
        informer.Apply(WatchEventTypes.Added, P("b", "2"));
        Assert.Equal(["initial a rv1"], rec.Events);
    }

    [Fact]
    public void Bad_options_are_refused_naming_the_field()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Informer<KuryrPort>(null!, KubernetesResources.KuryrPorts,
            new InformerOptions<KuryrPort> { MaxBackoff = TimeSpan.FromMilliseconds(1) }, TimeProvider.System, NullLogger.Instance));
        Assert.Contains("MaxBackoff", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Informer<KuryrPort>(null!, KubernetesResources.KuryrPorts,
            new InformerOptions<KuryrPort> { PageSize = -1 }, TimeProvider.System, NullLogger.Instance));
        Assert.Contains("PageSize", ex.Message, StringComparison.Ordinal);
    }
}
