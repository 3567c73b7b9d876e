using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Ovs.Ovsdb;
using Microsoft.Extensions.Logging;

namespace Kuryr.Ovs.JsonRpc;

/// <summary>
/// One JSON-RPC 1.0 connection to ovsdb-server: numbered requests matched to their responses,
/// <c>echo</c> requests from the server answered (its inactivity probe), notifications handed to a
/// callback. When the socket drops or the server sends something malformed, every pending call
/// fails at once and the connection is dead (<see cref="IsOpen"/> false); the owner opens a new one.
/// </summary>
internal sealed partial class OvsdbConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly JsonValueFramer _framer;
    private readonly Action<JsonRpcMessage>? _onNotification;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonRpcMessage>> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _readLoop;
    private long _nextId;
    private Exception? _fault;

    private OvsdbConnection(Socket socket, string name, int maxMessageBytes, Action<JsonRpcMessage>? onNotification, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _name = name;
        _logger = logger;
        _time = time;
        _onNotification = onNotification;
        _framer = new JsonValueFramer(maxMessageBytes);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public bool IsOpen => Volatile.Read(ref _fault) is null;

    /// <summary>Completes when the connection is dead; the reason is in <see cref="Fault"/>.</summary>
    public Task Completion => _readLoop;

    public Exception? Fault => Volatile.Read(ref _fault);

    public static async Task<OvsdbConnection> ConnectAsync(
        EndPoint endPoint, string name, int maxMessageBytes, TimeSpan timeout, Action<JsonRpcMessage>? onNotification,
        TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            var why = ex is OperationCanceledException ? $"no answer within {timeout}" : ex.Message;
            throw new OvsdbConnectionException($"cannot connect to ovsdb-server at {name}: {why}", requestSent: false, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        LogConnected(logger, name);
        return new OvsdbConnection(socket, name, maxMessageBytes, onNotification, time, logger);
    }

    /// <summary>Sends a request and waits for its response; returns the <c>result</c>.</summary>
    public async Task<JsonElement> CallAsync(string method, JsonArray parameters, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonRpcMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var sent = false;
        try
        {
            ThrowIfDead(method, requestSent: false);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(new JsonRpcRequest { Method = method, Params = parameters, Id = id }, JsonRpcJsonContext.Default.JsonRpcRequest);
            await SendAsync(bytes, method, timeout, cancellationToken).ConfigureAwait(false);
            sent = true;
            JsonRpcMessage response;
            try
            {
                response = await tcs.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException ex)
            {
                LogTimedOut(_logger, _name, method, id, timeout);
                throw new OvsdbTimeoutException($"ovsdb-server at {_name} did not answer '{method}' (request {id}) within {timeout}", ex);
            }

            if (response.HasError)
            {
                throw new OvsdbRpcException(method, DescribeError(response.Error!.Value));
            }

            if (response.Result is not { } result)
            {
                throw new OvsdbProtocolException($"the response to '{method}' (request {id}) from {_name} has neither a result nor an error");
            }

            return result;
        }
        catch (OvsdbConnectionException ex) when (sent && !ex.RequestSent)
        {
            throw new OvsdbConnectionException(ex.Message, requestSent: true, ex.InnerException);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Drops the socket (what a server restart does). For tests and for giving up on a stuck connection.</summary>
    public void Abort(string reason) => Fail(new OvsdbConnectionException($"connection to {_name} aborted: {reason}"));

    public async ValueTask DisposeAsync()
    {
        Fail(new OvsdbConnectionException($"connection to {_name} closed"));
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OvsdbException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
        _writeLock.Dispose();
    }

    private async Task SendAsync(byte[] bytes, string method, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        cts.CancelAfter(timeout);
        await _writeLock.WaitAsync(cts.Token).ConfigureAwait(false);
        try
        {
            var offset = 0;
            while (offset < bytes.Length)
            {
                offset += await _socket.SendAsync(bytes.AsMemory(offset), SocketFlags.None, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = ex is OperationCanceledException && !_stop.IsCancellationRequested ? $"the send did not finish within {timeout}" : ex.Message;
            var failure = new OvsdbConnectionException($"sending '{method}' to {_name} failed: {why}", requestSent: false, ex);
            Fail(failure);
            ThrowIfDead(method, requestSent: false);
            throw failure;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void ThrowIfDead(string method, bool requestSent)
    {
        if (Volatile.Read(ref _fault) is { } fault)
        {
            throw new OvsdbConnectionException($"'{method}' cannot complete: {fault.Message}", requestSent, fault);
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var memory = _framer.GetReceiveMemory();
                var n = await _socket.ReceiveAsync(memory, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    var partial = _framer.PendingBytes > 0 ? $" in the middle of a message ({_framer.PendingBytes} bytes pending)" : "";
                    Fail(new OvsdbConnectionException($"ovsdb-server at {_name} closed the connection{partial}"));
                    return;
                }

                _framer.Advance(n);
                while (_framer.TryReadValue(out var value))
                {
                    await DispatchAsync(value).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (OvsdbProtocolException ex)
        {
            Fail(new OvsdbProtocolException($"{ex.Message} (connection to {_name} dropped)", ex));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            Fail(new OvsdbConnectionException($"connection to {_name} lost: {ex.Message}", ex));
        }
    }

    private async ValueTask DispatchAsync(ReadOnlyMemory<byte> value)
    {
        JsonRpcMessage? message;
        try
        {
            var span = value.Span.TrimStart(" \t\r\n"u8);
            if (span.Length == 0 || span[0] != (byte)'{')
            {
                throw new OvsdbProtocolException($"the server sent a JSON value that is not a JSON-RPC object: {Preview(value)}");
            }

            message = JsonSerializer.Deserialize(span, JsonRpcJsonContext.Default.JsonRpcMessage);
        }
        catch (JsonException ex)
        {
            throw new OvsdbProtocolException($"the server sent a message that is not JSON-RPC ({ex.Message}): {Preview(value)}", ex);
        }

        if (message is null)
        {
            throw new OvsdbProtocolException("the server sent null instead of a JSON-RPC message");
        }

        if (message.Method is { } method)
        {
            await HandleServerRequestAsync(method, message).ConfigureAwait(false);
            return;
        }

        if (message.Id is not { ValueKind: JsonValueKind.Number } idElement || !idElement.TryGetInt64(out var id))
        {
            throw new OvsdbProtocolException($"the server sent a response without a numeric id: {Preview(value)}");
        }

        if (_pending.TryRemove(id, out var tcs))
        {
            tcs.TrySetResult(message);
        }
        else
        {
            LogUnexpectedResponse(_logger, _name, id);
        }
    }

    private async ValueTask HandleServerRequestAsync(string method, JsonRpcMessage message)
    {
        if (!message.HasId)
        {
            // A notification: "update"/"update2"/"update3" of a monitor, "locked", "stolen".
            _onNotification?.Invoke(message);
            return;
        }

        JsonRpcReply reply = method == "echo"
            ? new JsonRpcReply { Result = message.Params ?? EmptyArray(), Error = null, Id = message.Id }
            : new JsonRpcReply { Result = null, Error = $"unknown method {method}", Id = message.Id };
        if (method != "echo")
        {
            LogUnknownServerRequest(_logger, _name, method);
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(reply, JsonRpcJsonContext.Default.JsonRpcReply);
        try
        {
            await SendAsync(bytes, method == "echo" ? "echo reply" : "error reply", TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OvsdbConnectionException)
        {
            // Fail() already recorded why; the read loop ends on the next receive.
        }
    }

    private void Fail(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _fault, reason, null) is not null)
        {
            return;
        }

        LogConnectionDead(_logger, _name, reason.Message);
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        foreach (var (id, tcs) in _pending)
        {
            if (_pending.TryRemove(id, out _))
            {
                tcs.TrySetException(reason is OvsdbException
                    ? reason
                    : new OvsdbConnectionException(reason.Message, requestSent: true, reason));
            }
        }
    }

    private static string DescribeError(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString()!,
        JsonValueKind.Object when error.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String =>
            error.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.String ? $"{e.GetString()}: {d.GetString()}" : e.GetString()!,
        _ => error.GetRawText(),
    };

    private static JsonElement EmptyArray()
    {
        using var doc = JsonDocument.Parse("[]");
        return doc.RootElement.Clone();
    }

    private static string Preview(ReadOnlyMemory<byte> value)
    {
        var span = value.Span;
        var text = System.Text.Encoding.UTF8.GetString(span[..Math.Min(span.Length, 200)]);
        return span.Length > 200 ? text + "..." : text;
    }
}
