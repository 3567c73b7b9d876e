using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Ovs.JsonRpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Ovs.Ovsdb;

internal sealed partial class OvsdbClient : IOvsdbClient, IAsyncDisposable
{
    private readonly OvsdbOptions _options;
    private readonly EndPoint _endPoint;
    private readonly TimeProvider _time;
    private readonly ILogger<OvsdbClient> _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private OvsdbConnection? _connection;
    private int _connects;
    private bool _disposed;

    public OvsdbClient(IOptions<OvsdbOptions> options, TimeProvider time, ILogger<OvsdbClient> logger)
    {
        _options = options.Value;
        _options.Validate();
        _endPoint = _options.ParseEndPoint();
        _time = time;
        _logger = logger;
    }

    /// <summary>How many connections were opened (1 + reconnects).</summary>
    internal int Connects => Volatile.Read(ref _connects);

    public async Task<IReadOnlyList<JsonElement>> TransactAsync(IReadOnlyList<JsonObject> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            throw new ArgumentException("a transact needs at least one operation", nameof(operations));
        }

        var parameters = new JsonArray(_options.Database);
        foreach (var op in operations)
        {
            // A JsonNode has one parent: deep-clone so callers may reuse their operation objects.
            parameters.Add(op.DeepClone());
        }

        var result = await CallAsync("transact", parameters, cancellationToken).ConfigureAwait(false);
        return CheckTransactResult(operations, result);
    }

    public async Task EchoAsync(CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("echo", new JsonArray("kuryr"), cancellationToken).ConfigureAwait(false);
        if (result.ValueKind != JsonValueKind.Array || result.GetArrayLength() != 1 || !result[0].ValueEquals("kuryr"))
        {
            throw new OvsdbProtocolException($"echo came back as {result.GetRawText()} instead of [\"kuryr\"]");
        }
    }

    public async Task<IReadOnlyList<string>> ListDatabasesAsync(CancellationToken cancellationToken = default)
    {
        var result = await CallAsync("list_dbs", [], cancellationToken).ConfigureAwait(false);
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new OvsdbProtocolException($"list_dbs returned {result.GetRawText()}, not an array");
        }

        return [.. result.EnumerateArray().Select(e => e.GetString() ?? throw new OvsdbProtocolException($"list_dbs returned a non-string: {e.GetRawText()}"))];
    }

    public void DropConnection(string reason) => Volatile.Read(ref _connection)?.Abort(reason);

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (Interlocked.Exchange(ref _connection, null) is { } c)
        {
            await c.DisposeAsync().ConfigureAwait(false);
        }

        _connectLock.Dispose();
    }

    internal static IReadOnlyList<JsonElement> CheckTransactResult(IReadOnlyList<JsonObject> operations, JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new OvsdbProtocolException($"transact returned {result.ValueKind}, not an array of results");
        }

        var results = result.EnumerateArray().ToArray();
        for (var i = 0; i < results.Length; i++)
        {
            var r = results[i];
            if (r.ValueKind == JsonValueKind.Object && r.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                var details = r.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                var errorText = error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText();
                if (i >= operations.Count)
                {
                    throw new OvsdbOperationException(i, "commit", null, errorText, details);
                }

                var op = operations[i];
                throw new OvsdbOperationException(i, op["op"]?.GetValue<string>() ?? "?", op["table"]?.GetValue<string>(), errorText, details);
            }
        }

        if (results.Length < operations.Count)
        {
            throw new OvsdbProtocolException($"transact returned {results.Length} results for {operations.Count} operations and no error");
        }

        return results.Length == operations.Count ? results : results[..operations.Count];
    }

    private async Task<JsonElement> CallAsync(string method, JsonArray parameters, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var attempt = 1; ; attempt++)
        {
            var connection = await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // A JsonArray can be serialized again after a failed attempt: it is not consumed.
                return await connection.CallAsync(method, parameters, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (OvsdbConnectionException ex) when (!ex.RequestSent && attempt < 3)
            {
                // The connection was already dead: nothing reached the server, so sending again is safe.
                LogResending(_logger, _options.Connection, method, attempt, ex.Message);
            }
        }
    }

    private async ValueTask<OvsdbConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _connection);
        if (current is { IsOpen: true })
        {
            return current;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _connection;
            if (current is { IsOpen: true })
            {
                return current;
            }

            if (current is not null)
            {
                LogReconnecting(_logger, _options.Connection, current.Fault?.Message ?? "closed");
                await current.DisposeAsync().ConfigureAwait(false);
            }

            var fresh = await OvsdbConnection.ConnectAsync(_endPoint, _options.Connection, _options.MaxMessageBytes, _options.ConnectTimeout,
                onNotification: null, _time, _logger, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _connects);
            Volatile.Write(ref _connection, fresh);
            return fresh;
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
