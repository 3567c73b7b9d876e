using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Informers;
using Kuryr.Kubernetes.Models;
using Kuryr.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Kubernetes.Tests.Informers;

/// <summary>The informer against the real kube-apiserver, on KuryrPorts in a fresh namespace per test.</summary>
public sealed class InformerTests(KuryrCrdsFixture kube) : IClassFixture<KuryrCrdsFixture>
{
    private const string NodeLabel = InformerIndexers.KuryrNodeName;
    private static readonly ResourceType<KuryrPort> Ports = KubernetesResources.KuryrPorts;

    private IKubernetesClient Api => kube.Client;

    [Fact]
    public async Task Initial_list_then_add_update_delete_are_each_delivered_once_in_order()
    {
        var ns = await kube.Bed.CreateNamespaceAsync("inf-basic");
        await CreateAsync(ns, "p0", "node-1");
        var (informer, rec) = NewInformer(new InformerOptions<KuryrPort> { Namespace = ns });
        using var run = new Runner(informer);
        await informer.WaitForSyncAsync();
        Assert.Equal(["initial p0 s0"], rec.Events);

        await CreateAsync(ns, "p1", "node-1");
        await StepAsync(ns, "p1", "s1");
        await StepAsync(ns, "p0", "s1");
        await Api.DeleteAsync(Ports, ns, "p1");
        await Eventually.TrueAsync(() => rec.For("p1").Count >= 3 && rec.For("p0").Count >= 2, "all events delivered: " + string.Join(" | ", rec.Events));

        Assert.Equal(["add p1 s0", "update p1 s0->s1", "delete p1 s1"], rec.For("p1"));
        Assert.Equal(["initial p0 s0", "update p0 s0->s1"], rec.For("p0"));
        Assert.Equal(["p0"], informer.Cache.List().Select(p => p.Metadata.Name));
        Assert.Equal(1, informer.ListCount);
        await run.StopAsync();
    }

    [Fact]
    public async Task Watches_cut_mid_stream_and_short_watch_timeouts_neither_lose_nor_repeat_a_change()
    {
        var ns = await kube.Bed.CreateNamespaceAsync("inf-cut");
        await using var proxy = new TcpCutProxy(kube.Bed.Server);
        using var viaProxy = KubeClients.Create(kube.Bed, proxy);
        var informer = new Informer<KuryrPort>(viaProxy, Ports, new InformerOptions<KuryrPort>
        {
            Namespace = ns,
            MinWatchTimeout = TimeSpan.FromSeconds(1),
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(400),
        }, TimeProvider.System, NullLogger.Instance);
        var rec = new EventRecorder<KuryrPort>();
        informer.AddEventHandler(rec);
        string[] names = ["a", "b", "c", "d"];
        foreach (var n in names)
        {
            await CreateAsync(ns, n, "node-1");
        }

        using var run = new Runner(informer);
        await informer.WaitForSyncAsync();
        const int Rounds = 12;
        var trace = new List<string>();
        for (var round = 1; round <= Rounds; round++)
        {
            if (round % 3 == 0)
            {
                proxy.DropAll();
            }

            if (round == 7)
            {
                // Unreachable for a while: changes pile up on the server meanwhile.
                proxy.Blocked = true;
                proxy.DropAll();
            }

            foreach (var n in names)
            {
                await StepAsync(ns, n, "s" + round);
            }

            if (round == 9)
            {
                proxy.Blocked = false;
            }

            await Task.Delay(150);
            trace.Add($"r{round}:{proxy.Accepted}");
        }

        await CreateAsync(ns, "late", "node-2");
        await Api.DeleteAsync(Ports, ns, "a");
        await Eventually.TrueAsync(
            () => rec.For("a") is { Count: > 0 } forA && forA[^1].StartsWith("delete", StringComparison.Ordinal) && rec.For("late").Count == 1
                && names.Skip(1).All(n => rec.For(n).Count == Rounds + 1),
            "every change delivered: " + string.Join(" | ", rec.Events));

        foreach (var n in names)
        {
            var expected = new List<string> { $"initial {n} s0" };
            expected.AddRange(Enumerable.Range(1, Rounds).Select(r => $"update {n} s{r - 1}->s{r}"));
            if (n == "a")
            {
                expected.Add($"delete a s{Rounds}");
            }

            Assert.Equal(expected, rec.For(n));
        }

        Assert.Equal(["add late s0"], rec.For("late"));
        Assert.Equal(1, informer.ListCount);
        // 1 + one new connection after each cut of a live watch (rounds 3, 6, 12) + one after the block lifts.
        Assert.True(proxy.Accepted >= 5, $"only {proxy.Accepted} connections: the watch was not cut ({string.Join(' ', trace)})");
        await run.StopAsync();
    }

    [Fact]
    public async Task An_expired_resourceVersion_makes_the_informer_relist_and_deliver_only_the_difference()
    {
        var ns = await kube.Bed.CreateNamespaceAsync("inf-gone");
        await CreateAsync(ns, "stays", "node-1");
        await CreateAsync(ns, "changes", "node-1");
        await CreateAsync(ns, "goes", "node-1");
        var (informer, rec) = NewInformer(new InformerOptions<KuryrPort> { Namespace = ns });
        var run = new Runner(informer);
        await informer.WaitForSyncAsync();
        await run.StopAsync();
        run.Dispose();

        // While the informer is stopped: one change of each kind.
        await StepAsync(ns, "changes", "s1");
        await Api.DeleteAsync(Ports, ns, "goes");
        await CreateAsync(ns, "new", "node-1");

        // Resume from a version the server no longer serves: it answers 410 Gone / Expired.
        informer.ResumeFrom("1");
        using var rerun = new Runner(informer);
        await Eventually.TrueAsync(() => informer.ListCount == 2 && rec.Events.Count >= 6, "relisted: " + string.Join(" | ", rec.Events));

        Assert.Equal(["initial stays s0"], rec.For("stays"));
        Assert.Equal(["initial changes s0", "update changes s0->s1"], rec.For("changes"));
        Assert.Equal(["initial goes s0", "tombstone goes s0"], rec.For("goes"));
        Assert.Equal(["add new s0"], rec.For("new"));
        Assert.Equal(["changes", "new", "stays"], informer.Cache.List().Select(p => p.Metadata.Name).Order());

        // And it watches again after the relist.
        await StepAsync(ns, "stays", "s1");
        await Eventually.TrueAsync(() => rec.For("stays").Count == 2, "watching after the relist");
        Assert.Equal("update stays s0->s1", rec.For("stays")[1]);
        await rerun.StopAsync();
    }

    [Fact]
    public async Task Label_and_field_selectors_limit_what_the_informer_sees()
    {
        var ns = await kube.Bed.CreateNamespaceAsync("inf-select");
        await CreateAsync(ns, "mine", "node-a");
        await CreateAsync(ns, "other", "node-b");
        var (byLabel, labelRec) = NewInformer(new InformerOptions<KuryrPort> { Namespace = ns, LabelSelector = NodeLabel + "=node-a" });
        var (byField, fieldRec) = NewInformer(new InformerOptions<KuryrPort> { Namespace = ns, FieldSelector = "metadata.name=other" });
        using var r1 = new Runner(byLabel);
        using var r2 = new Runner(byField);
        await byLabel.WaitForSyncAsync();
        await byField.WaitForSyncAsync();
        Assert.Equal(["initial mine s0"], labelRec.Events);
        Assert.Equal(["initial other s0"], fieldRec.Events);

        // "other" moves to node-a (enters the label selection), then "mine" leaves it.
        await RelabelAsync(ns, "other", "node-a");
        await RelabelAsync(ns, "mine", "node-c");
        await Eventually.TrueAsync(() => labelRec.Events.Count >= 3, "selection changes: " + string.Join(" | ", labelRec.Events));

        Assert.Equal(["add other"], labelRec.For("other").Select(e => string.Join(' ', e.Split(' ')[..2])));
        Assert.Equal(["initial mine", "delete mine"], labelRec.For("mine").Select(e => string.Join(' ', e.Split(' ')[..2])));
        Assert.Equal(["other"], byLabel.Cache.List().Select(p => p.Metadata.Name));
        await Eventually.TrueAsync(() => fieldRec.Events.Count >= 2, "field-selected update");
        Assert.All(fieldRec.Events, e => Assert.Contains(" other ", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_node_label_index_follows_relabelling()
    {
        var ns = await kube.Bed.CreateNamespaceAsync("inf-index");
        var informer = new Informer<KuryrPort>(Api, Ports, new InformerOptions<KuryrPort>
        {
            Namespace = ns,
            Indexers = { [InformerIndexers.KuryrNodeName] = InformerIndexers.ByKuryrNodeName<KuryrPort>() },
        }, TimeProvider.System, NullLogger.Instance);
        await CreateAsync(ns, "p1", "node-1");
        await CreateAsync(ns, "p2", "node-1");
        await CreateAsync(ns, "p3", "node-2");
        using var run = new Runner(informer);
        await informer.WaitForSyncAsync();

        string[] OnNode(string node) => informer.Cache.ByIndex(InformerIndexers.KuryrNodeName, node).Select(p => p.Metadata.Name!).Order().ToArray();
        Assert.Equal(["p1", "p2"], OnNode("node-1"));
        Assert.Equal(["p3"], OnNode("node-2"));

        await RelabelAsync(ns, "p2", "node-2");
        await Eventually.TrueAsync(() => OnNode("node-2").Length == 2, "p2 moved");
        Assert.Equal(["p1"], OnNode("node-1"));
        Assert.Equal(["p2", "p3"], OnNode("node-2"));
        Assert.Equal(["p1", "p2", "p3"], informer.Cache.ByIndex(InformerIndexers.Namespace, ns).Select(p => p.Metadata.Name).Order());
    }

    [Fact]
    public async Task A_periodic_resync_redelivers_the_cache_and_a_late_handler_gets_a_replay()
    {
        var ns = await kube.Bed.CreateNamespaceAsync("inf-resync");
        await CreateAsync(ns, "p1", "node-1");
        var time = new ManualTimeProvider();
        var informer = new Informer<KuryrPort>(Api, Ports, new InformerOptions<KuryrPort> { Namespace = ns, ResyncPeriod = TimeSpan.FromSeconds(30) }, time, NullLogger.Instance);
        var rec = new EventRecorder<KuryrPort>();
        informer.AddEventHandler(rec);
        using var run = new Runner(informer);
        await informer.WaitForSyncAsync();

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(["initial p1 s0"], rec.Events);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["initial p1 s0", "resync p1 s0"], rec.Events);

        var late = new EventRecorder<KuryrPort>();
        informer.AddEventHandler(late);
        Assert.Equal(["initial p1 s0"], late.Events);
    }

    private (Informer<KuryrPort> Informer, EventRecorder<KuryrPort> Recorder) NewInformer(InformerOptions<KuryrPort> options)
    {
        var informer = new Informer<KuryrPort>(Api, Ports, options, TimeProvider.System, NullLogger.Instance);
        var rec = new EventRecorder<KuryrPort>();
        informer.AddEventHandler(rec);
        return (informer, rec);
    }

    private Task<KuryrPort> CreateAsync(string ns, string name, string node) =>
        Api.CreateAsync(Ports, new KuryrPort
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Labels = new() { [NodeLabel] = node, ["step"] = "s0" } },
            Spec = new KuryrPortSpec { PodUid = "uid-" + name, PodNodeName = node },
            Status = new KuryrPortStatus(),
        });

    private Task<KuryrPort> StepAsync(string ns, string name, string step) =>
        Api.PatchAsync(Ports, ns, name, KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["step"] = step } } }));

    private Task<KuryrPort> RelabelAsync(string ns, string name, string node) =>
        Api.PatchAsync(Ports, ns, name, KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [NodeLabel] = node } } }));

    /// <summary>Runs an informer in the background until stopped (and surfaces its failure).</summary>
    private sealed class Runner : IDisposable
    {
        private readonly CancellationTokenSource _cts = new();
        private readonly Task _task;

        public Runner(IInformer<KuryrPort> informer) => _task = Task.Run(() => informer.RunAsync(_cts.Token));

        public async Task StopAsync()
        {
            await _cts.CancelAsync();
            await _task;
        }

        public void Dispose()
        {
            _cts.Cancel();
            _cts.Dispose();
        }
    }
}
