using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kuryr.Agent.Binding;
using Kuryr.Agent.Hosting;
using Kuryr.Assignments;
using Kuryr.Kubernetes.Informers;
using Kuryr.Kubernetes.Models;
using Kuryr.Vifs;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Kuryr.Agent.Vifs;

/// <summary>
/// <see cref="IVifRegistry"/>: one entry per pod (<c>namespace/name</c>) with what each source says;
/// waiters are woken by a per-pod signal on every change.
/// </summary>
internal sealed partial class VifRegistry : IVifRegistry, IDisposable
{
    internal const string WatchSource = "watch";
    internal const string RedisSource = "redis";

    /// <summary>The KuryrPort label the controller sets to the pod's node.</summary>
    internal const string NodeLabel = "kuryr.openstack.org/nodeName";

    private readonly ConcurrentDictionary<string, PodEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);
    private readonly IInformer<KuryrPort> _informer;
    private readonly INodeVifReader? _redis;
    private readonly IConnectionMultiplexer? _connection;
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly ILogger<VifRegistry> _logger;
    private readonly IDisposable _handler;
    private volatile bool _running;

    public VifRegistry(
        IInformerFactory informers,
        AgentNode node,
        TimeProvider time,
        ILogger<VifRegistry> logger,
        INodeVifReader? redis = null,
        IConnectionMultiplexer? connection = null)
    {
        ArgumentNullException.ThrowIfNull(informers);
        ArgumentNullException.ThrowIfNull(node);
        _node = string.IsNullOrWhiteSpace(node.Name) ? throw new ArgumentException("the agent's node name is empty (KUBERNETES_NODE_NAME / NODE_NAME / host name)", nameof(node)) : node.Name;
        _time = time;
        _logger = logger;
        _redis = redis;
        _connection = connection;
        _informer = informers.Create(KubernetesResources.KuryrPorts, new InformerOptions<KuryrPort> { LabelSelector = NodeLabel + "=" + _node });
        _handler = _informer.AddEventHandler(new InformerHandler<KuryrPort>
        {
            Added = (kp, _) => OnKuryrPort(kp),
            Updated = (_, kp) => OnKuryrPort(kp),
            Deleted = (kp, _) => Update(Key(kp.Metadata.Namespace ?? "", kp.Metadata.Name ?? ""), WatchSource, null),
        });
    }

    public bool HasSynced => _informer.HasSynced;

    public bool IsRunning => _running;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _running = true;
        try
        {
            var watch = _informer.RunAsync(cancellationToken);
            var redis = _redis is null ? Task.CompletedTask : FollowRedisAsync(_redis, cancellationToken);
            await Task.WhenAll(watch, redis).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _running = false;
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _informer.WaitForSyncAsync(cancellationToken);

    public PodVifs? TryGet(string podNamespace, string podName, string? podUid) =>
        _entries.TryGetValue(Key(podNamespace, podName), out var entry) ? entry.Best(podUid, requireActive: false) : null;

    public async Task<PodVifs> WaitForVifsAsync(string podNamespace, string podName, string? podUid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = Key(podNamespace, podName);
        var started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var askedRedis = false;
        while (true)
        {
            // Take the signal before reading, so a change between the read and the wait is not lost.
            var signal = _signals.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            if (_entries.TryGetValue(key, out var entry) && entry.Best(podUid, requireActive: true) is { } ready)
            {
                DropSignal(key);
                var waited = _time.GetElapsedTime(started).TotalMilliseconds;
                LogVifsFound(key, podUid ?? "", ready.Source, ready.Vifs.Count, waited);
                return ready;
            }

            if (!askedRedis && _redis is not null)
            {
                // A publication made before this agent subscribed (or lost with a reconnect): read it once.
                askedRedis = true;
                await ReadRedisAsync(_redis, podNamespace, podName, linked.Token).ConfigureAwait(false);
                continue;
            }

            try
            {
                await signal.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                DropSignal(key);
                var why = _entries.TryGetValue(key, out var last) ? last.Explain(podUid) : "no KuryrPort and no published assignment for the pod on node " + _node;
                LogVifsTimeout(key, podUid ?? "", timeout.TotalSeconds, why);
                throw new VifWaitTimeoutException(
                    $"pod {key} (K8S_POD_UID {podUid ?? "unset"}): VIFs not ready within vif_annotation_timeout {timeout.TotalSeconds:0.#} s: {why}");
            }
        }
    }

    /// <summary>No signal is left behind once a wait ends (other waiters of the pod just re-check).</summary>
    private void DropSignal(string key)
    {
        if (_signals.TryGetValue(key, out var pending) && _signals.TryRemove(new KeyValuePair<string, TaskCompletionSource>(key, pending)))
        {
            pending.TrySetResult();
        }
    }

    /// <summary>Pods with a pending wake-up signal (tests: nothing is left behind).</summary>
    internal int PendingSignals => _signals.Count;

    public void Dispose() => _handler.Dispose();

    private void OnKuryrPort(KuryrPort kp)
    {
        var key = Key(kp.Metadata.Namespace ?? "", kp.Metadata.Name ?? "");
        var uid = kp.Spec?.PodUid ?? "";
        var vifs = new JsonObject();
        foreach (var (ifName, vif) in kp.Status?.Vifs ?? [])
        {
            vifs[ifName] = new JsonObject { ["default"] = vif.Default, ["vif"] = vif.Vif?.DeepClone() };
        }

        Update(key, WatchSource, Parse(key, WatchSource, uid, vifs));
    }

    private async Task FollowRedisAsync(INodeVifReader redis, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        IAsyncDisposable? subscription = null;
        if (_connection is not null)
        {
            _connection.ConnectionRestored += OnRedisRestored;
        }

        try
        {
            while (subscription is null)
            {
                try
                {
                    subscription = await redis.SubscribeAsync(_node, OnRedisChangeAsync, cancellationToken).ConfigureAwait(false);
                    await ReadAllRedisAsync(redis, cancellationToken).ConfigureAwait(false);
                    LogRedisFollowing(_node);
                }
                catch (Exception e) when (e is RedisException or TimeoutException or NodeVifFormatException)
                {
                    LogRedisUnavailable(_node, delay.TotalSeconds, e.Message);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
                }
            }

            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_connection is not null)
            {
                _connection.ConnectionRestored -= OnRedisRestored;
            }

            if (subscription is not null)
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void OnRedisRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (_redis is { } redis)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await ReadAllRedisAsync(redis, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException or NodeVifFormatException)
                {
                    LogRedisUnavailable(_node, 0, ex.Message);
                }
            });
        }
    }

    private async Task ReadAllRedisAsync(INodeVifReader redis, CancellationToken cancellationToken)
    {
        var all = await redis.GetAllAsync(_node, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in all)
        {
            var key = Key(entry.Namespace, entry.PodName);
            seen.Add(key);
            Update(key, RedisSource, Parse(key, RedisSource, entry.Assignment.PodUid, entry.Assignment.Vifs));
        }

        foreach (var key in _entries.Keys.Where(k => !seen.Contains(k)))
        {
            Update(key, RedisSource, null);
        }
    }

    private async Task OnRedisChangeAsync(NodeVifChange change) => await ReadRedisAsync(_redis!, change.Namespace, change.PodName, CancellationToken.None).ConfigureAwait(false);

    private async Task ReadRedisAsync(INodeVifReader redis, string podNamespace, string podName, CancellationToken cancellationToken)
    {
        var key = Key(podNamespace, podName);
        try
        {
            var assignment = await redis.GetAsync(_node, podNamespace, podName, cancellationToken).ConfigureAwait(false);
            Update(key, RedisSource, assignment is null ? null : Parse(key, RedisSource, assignment.PodUid, assignment.Vifs));
        }
        catch (Exception e) when (e is RedisException or TimeoutException or NodeVifFormatException)
        {
            // Redis is the fast path only: the watch still delivers.
            LogRedisReadFailed(key, _node, e.Message);
        }
    }

    private SourceState Parse(string key, string source, string uid, JsonObject vifs)
    {
        try
        {
            return new SourceState(uid, new PodVifs(uid, ParseVifs(vifs), source), null);
        }
        catch (Exception e) when (e is VifFormatException or InvalidOperationException or FormatException)
        {
            LogBadVifs(key, source, e.Message);
            return new SourceState(uid, null, $"{source}: status.vifs of {key} unreadable: {e.Message}");
        }
    }

    /// <summary>status.vifs (<c>ifname → {default, vif}</c>) as <see cref="PodVif"/>s: the default first, then eth1, eth2, ... eth10 in numeric order.</summary>
    internal static IReadOnlyList<PodVif> ParseVifs(JsonObject vifs)
    {
        var result = new List<PodVif>();
        foreach (var (ifName, node) in vifs)
        {
            if (node is not JsonObject entry || entry["vif"] is not JsonNode vif)
            {
                throw new FormatException($"status.vifs.{ifName}: expected {{\"default\": bool, \"vif\": {{...}}}}");
            }

            var isDefault = entry["default"] is JsonValue d && d.TryGetValue<bool>(out var b) && b;
            result.Add(new PodVif(ifName, isDefault, VifJson.FromNode(vif, $"status.vifs.{ifName}.vif")));
        }

        return [.. result.OrderByDescending(v => v.Default).ThenBy(v => v.InterfaceName.Length).ThenBy(v => v.InterfaceName, StringComparer.Ordinal)];
    }

    private void Update(string key, string source, SourceState? state)
    {
        _entries.AddOrUpdate(key, _ => PodEntry.Empty.With(source, state), (_, old) => old.With(source, state));
        if (_entries.TryGetValue(key, out var e) && e.Watch is null && e.Redis is null)
        {
            _entries.TryRemove(new KeyValuePair<string, PodEntry>(key, e));
        }

        if (state?.Vifs is { } vifs)
        {
            LogVifsSeen(key, source, vifs.PodUid, vifs.Vifs.Count, vifs.AllActive);
        }

        if (_signals.TryRemove(key, out var signal))
        {
            signal.TrySetResult();
        }
    }

    private static string Key(string podNamespace, string podName) => podNamespace + "/" + podName;

    /// <summary>What one source says about a pod: its UID and VIFs, or why they cannot be read.</summary>
    private sealed record SourceState(string Uid, PodVifs? Vifs, string? Problem);

    private sealed record PodEntry(SourceState? Watch, SourceState? Redis)
    {
        public static readonly PodEntry Empty = new(null, null);

        public PodEntry With(string source, SourceState? state) => source == WatchSource ? this with { Watch = state } : this with { Redis = state };

        public PodVifs? Best(string? uid, bool requireActive)
        {
            foreach (var s in new[] { Watch, Redis })
            {
                if (s?.Vifs is { } v && v.Vifs.Count > 0 && (string.IsNullOrEmpty(uid) || s.Uid == uid) && (!requireActive || v.AllActive))
                {
                    return v;
                }
            }

            return null;
        }

        public string Explain(string? uid)
        {
            var parts = new List<string>();
            foreach (var (name, s) in new[] { (WatchSource, Watch), (RedisSource, Redis) })
            {
                if (s is null)
                {
                    continue;
                }

                if (s.Problem is not null)
                {
                    parts.Add(s.Problem);
                }
                else if (!string.IsNullOrEmpty(uid) && s.Uid != uid)
                {
                    parts.Add($"{name}: the KuryrPort belongs to pod UID {s.Uid}, not {uid} (an older pod with the same name)");
                }
                else if (s.Vifs is not { Vifs.Count: > 0 })
                {
                    parts.Add($"{name}: the KuryrPort has no VIFs yet");
                }
                else
                {
                    var inactive = s.Vifs.Vifs.Where(v => v.Vif.Active != true).Select(v => v.InterfaceName + " (port " + v.Vif.Id + ")");
                    parts.Add($"{name}: VIFs not active yet: {string.Join(", ", inactive)}");
                }
            }

            return parts.Count == 0 ? "no KuryrPort and no published assignment" : string.Join("; ", parts);
        }
    }
}
