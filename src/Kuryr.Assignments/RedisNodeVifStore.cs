using System.Text.Json;
using Kuryr.Config.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuryr.Assignments;

/// <summary>Both sides of the node VIF publication on one Redis connection (docs/controller-handlers.md).</summary>
internal sealed partial class RedisNodeVifStore(IConnectionMultiplexer redis, IOptions<RedisOptions> options, ILogger<RedisNodeVifStore> logger)
    : INodeVifPublisher, INodeVifReader
{
    private readonly string _prefix = CheckPrefix(options.Value.KeyPrefix);
    private readonly int _database = options.Value.Database;

    /// <summary>HASH of a node's assignments.</summary>
    internal RedisKey VifsKey(string node) => $"{_prefix}:node:{{{CheckName(node, "node")}}}:vifs";

    /// <summary>Change channel of a node.</summary>
    internal RedisChannel Channel(string node) => new($"{_prefix}:node:{{{CheckName(node, "node")}}}", RedisChannel.PatternMode.Literal);

    public async Task PublishAsync(string node, string podNamespace, string podName, NodeVifAssignment assignment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        if (string.IsNullOrWhiteSpace(assignment.PodUid))
        {
            throw new ArgumentException("assignment podUid must not be empty", nameof(assignment));
        }

        var field = Field(podNamespace, podName);
        var json = JsonSerializer.Serialize(assignment, AssignmentsJsonContext.Default.NodeVifAssignment);
        var tx = redis.GetDatabase(_database).CreateTransaction();
        _ = tx.HashSetAsync(VifsKey(node), field, json);
        _ = tx.PublishAsync(Channel(node), field);
        if (!await tx.ExecuteAsync().ConfigureAwait(false))
        {
            throw new InvalidOperationException($"publishing VIFs of {field} on node {node}: Redis transaction not committed");
        }

        LogPublished(node, field, assignment.PodUid, assignment.Vifs.Count);
    }

    public async Task<bool> RemoveAsync(string node, string podNamespace, string podName, CancellationToken cancellationToken = default)
    {
        var field = Field(podNamespace, podName);
        var tx = redis.GetDatabase(_database).CreateTransaction();
        var removed = tx.HashDeleteAsync(VifsKey(node), field);
        _ = tx.PublishAsync(Channel(node), field);
        if (!await tx.ExecuteAsync().ConfigureAwait(false))
        {
            throw new InvalidOperationException($"removing VIFs of {field} on node {node}: Redis transaction not committed");
        }

        var result = await removed.ConfigureAwait(false);
        LogRemoved(node, field, result);
        return result;
    }

    public async Task<NodeVifAssignment?> GetAsync(string node, string podNamespace, string podName, CancellationToken cancellationToken = default)
    {
        var field = Field(podNamespace, podName);
        var key = VifsKey(node);
        var value = await redis.GetDatabase(_database).HashGetAsync(key, field).ConfigureAwait(false);
        return value.IsNull ? null : Parse(key, field, value!);
    }

    public async Task<IReadOnlyList<NodeVifEntry>> GetAllAsync(string node, CancellationToken cancellationToken = default)
    {
        var key = VifsKey(node);
        var entries = await redis.GetDatabase(_database).HashGetAllAsync(key).ConfigureAwait(false);
        var result = new List<NodeVifEntry>(entries.Length);
        foreach (var entry in entries)
        {
            string field = entry.Name!;
            var slash = field.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == field.Length - 1)
            {
                throw new NodeVifFormatException($"{key} field \"{field}\": expected namespace/pod");
            }

            result.Add(new NodeVifEntry(field[..slash], field[(slash + 1)..], Parse(key, field, entry.Value!)));
        }

        return result;
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string node, Func<NodeVifChange, Task> callback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var channel = Channel(node);
        var subscriber = redis.GetSubscriber();
        Action<RedisChannel, RedisValue> handler = (_, message) => OnMessage(node, callback, message);
        await subscriber.SubscribeAsync(channel, handler).ConfigureAwait(false);
        return new Subscription(subscriber, channel, handler);
    }

    private void OnMessage(string node, Func<NodeVifChange, Task> callback, RedisValue message)
    {
        string field = message!;
        var slash = field.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            LogBadMessage(node, field);
            return;
        }

        _ = InvokeAsync(callback, new NodeVifChange(node, field[..slash], field[(slash + 1)..]));
    }

    private async Task InvokeAsync(Func<NodeVifChange, Task> callback, NodeVifChange change)
    {
        try
        {
            await callback(change).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a subscriber's failure must not break the Redis message loop
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCallbackFailed(change.Node, change.Field, e);
        }
    }

    private static NodeVifAssignment Parse(RedisKey key, string field, string json)
    {
        NodeVifAssignment? value;
        try
        {
            value = JsonSerializer.Deserialize(json, AssignmentsJsonContext.Default.NodeVifAssignment);
        }
        catch (JsonException e)
        {
            throw new NodeVifFormatException($"{key} field \"{field}\": not a VIF assignment: {e.Message}", e);
        }

        if (value is null || string.IsNullOrEmpty(value.PodUid) || value.Vifs is null)
        {
            throw new NodeVifFormatException($"{key} field \"{field}\": podUid and vifs are required");
        }

        return value;
    }

    private static string Field(string podNamespace, string podName) =>
        CheckName(podNamespace, "pod namespace") + "/" + CheckName(podName, "pod name");

    private static string CheckName(string value, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.IndexOfAny(['/', '{', '}']) >= 0)
        {
            throw new ArgumentException($"{what} \"{value}\" must be non-empty and free of '/', '{{' and '}}'", what);
        }

        return value;
    }

    private static string CheckPrefix(string prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix) || prefix.IndexOfAny(['{', '}']) >= 0)
        {
            throw new ArgumentException($"[redis] key_prefix \"{prefix}\" must be non-empty and free of '{{' and '}}'", nameof(prefix));
        }

        return prefix;
    }

    [LoggerMessage(EventId = 5200, Level = LogLevel.Debug, Message = "Published VIFs of {Pod} (uid {PodUid}, {Count} interfaces) for node {Node}")]
    private partial void LogPublished(string node, string pod, string podUid, int count);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "Removed VIFs of {Pod} from node {Node} (present: {Removed})")]
    private partial void LogRemoved(string node, string pod, bool removed);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Ignoring malformed VIF change message \"{Pod}\" for node {Node}")]
    private partial void LogBadMessage(string node, string pod);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error, Message = "VIF change callback for {Pod} on node {Node} failed")]
    private partial void LogCallbackFailed(string node, string pod, Exception exception);

    private sealed class Subscription(ISubscriber subscriber, RedisChannel channel, Action<RedisChannel, RedisValue> handler) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await subscriber.UnsubscribeAsync(channel, handler).ConfigureAwait(false);
            }
        }
    }
}
