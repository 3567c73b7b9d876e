using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kuryr.PoolCtl.Output;
using Kuryr.Pools.Management;
using Kuryr.Pools.State;
using Microsoft.Extensions.Logging;

namespace Kuryr.PoolCtl.Management;

/// <summary>
/// The controller's pool management API (docs/pool-management-api.md): HTTP/1.1 over the unix socket
/// <c>[pool_manager] sock_file</c>. Changes go through it so the leader's population lock,
/// <c>ports_pool_max</c> and Neutron limits apply. Every failure becomes a <see cref="PoolCtlException"/>
/// that says what is wrong and what to do.
/// </summary>
internal sealed partial class ManagementClient : IDisposable
{
    /// <summary>Upper bound of <c>--ports</c>, the API's limit of one populate.</summary>
    public const int MaxPorts = 500;

    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        ["ports"] = "--ports",
        ["subnetId"] = "--subnet-id",
        ["securityGroups"] = "--security-group",
        ["nodeName"] = "--node",
    };

    private readonly HttpClient _http;
    private readonly ILogger _logger;

    public ManagementClient(string socketPath, ILogger logger, TimeSpan? timeout = null)
    {
        SocketPath = socketPath;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            BaseAddress = new Uri("http://localhost"),
            Timeout = timeout ?? TimeSpan.FromMinutes(10),
        };
    }

    public string SocketPath { get; }

    public async Task<PopulateView> PopulateAsync(PoolKey pool, PopulateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var json = JsonSerializer.Serialize(request, PoolManagementJsonContext.Default.PopulateRequest);
        var body = await SendAsync(pool, "populate", json, cancellationToken).ConfigureAwait(false);
        var result = Deserialize(body, PoolManagementJsonContext.Default.PopulateResult);
        LogPopulated(pool.Id, result.Driver, request.Ports ?? 0, result.Created);
        return new PopulateView(result.Pool, result.Driver, result.Created);
    }

    public async Task<FreeView> FreeAsync(PoolKey pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var body = await SendAsync(pool, "free", null, cancellationToken).ConfigureAwait(false);
        var result = Deserialize(body, PoolManagementJsonContext.Default.FreeResult);
        LogFreed(pool.Id, result.Deleted);
        return new FreeView(result.Pool, result.Deleted);
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> SendAsync(PoolKey pool, string action, string? json, CancellationToken cancellationToken)
    {
        var path = $"/pools/{Uri.EscapeDataString(pool.Host)}/{Uri.EscapeDataString(pool.ProjectId)}/{Uri.EscapeDataString(pool.NetworkId)}/{action}";
        if (!File.Exists(SocketPath))
        {
            throw new PoolCtlException($"management socket {SocketPath} does not exist: kuryr-controller may not run on this host "
                + "(or [kubernetes] enable_manager is off); pass the controller's socket with --socket or [pool_manager] sock_file");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json ?? "", Encoding.UTF8, "application/json"),
        };
        LogSending(pool.Id, action, SocketPath);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException s)
        {
            throw s.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => new PoolCtlException(
                    $"nobody listens on management socket {SocketPath}: kuryr-controller may not run on this host (a stale socket file?)", ExitCodes.Failed, e),
                SocketError.AccessDenied => new PoolCtlException(
                    $"permission denied on management socket {SocketPath}: run as root or as a member of the socket's group", ExitCodes.Failed, e),
                _ => new PoolCtlException($"cannot connect to management socket {SocketPath}: {s.Message}", ExitCodes.Failed, e),
            };
        }
        catch (HttpRequestException e)
        {
            throw new PoolCtlException($"management socket {SocketPath}: the request failed: {e.Message}", ExitCodes.Failed, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PoolCtlException($"management socket {SocketPath}: no answer within {_http.Timeout.TotalSeconds:0} s", ExitCodes.Failed, e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            LogAnswered(pool.Id, action, (int)response.StatusCode);
            if (response.IsSuccessStatusCode)
            {
                return text;
            }

            var error = TryError(text);
            var message = error?.Error ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {text}";
            throw response.StatusCode switch
            {
                HttpStatusCode.BadRequest => PoolCtlException.Usage(error?.Field is { } field
                    ? $"{(Options.TryGetValue(field, out var option) ? option : field)} ({field}): {message}"
                    : message),
                HttpStatusCode.NotFound => new PoolCtlException($"{message}; list the pools with 'kuryr-poolctl list'"),
                HttpStatusCode.ServiceUnavailable when message.Contains("not the leader", StringComparison.Ordinal) => new PoolCtlException(
                    $"this controller is not the leader; run it against the leader's socket (controller at {SocketPath} said: {message})"),
                HttpStatusCode.ServiceUnavailable => new PoolCtlException(
                    $"the controller at {SocketPath} cannot change pools now: {message}"),
                _ => new PoolCtlException($"{action} {pool.Id} failed (HTTP {(int)response.StatusCode}): {message}"),
            };
        }
    }

    private static ErrorResponse? TryError(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, PoolManagementJsonContext.Default.ErrorResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private T Deserialize<T>(string text, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(text, type) ?? throw new JsonException("null answer");
        }
        catch (JsonException e)
        {
            throw new PoolCtlException($"management socket {SocketPath}: unexpected answer: {e.Message}", ExitCodes.Failed, e);
        }
    }

    [LoggerMessage(EventId = 7000, Level = LogLevel.Debug, Message = "Sending {Action} for pool {Pool} to {Socket}")]
    private partial void LogSending(string pool, string action, string socket);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "The controller answered {Status} to {Action} for pool {Pool}")]
    private partial void LogAnswered(string pool, string action, int status);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Populated pool {Pool} (driver {Driver}): {Created} of {Requested} ports created")]
    private partial void LogPopulated(string pool, string driver, int requested, int created);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "Freed pool {Pool}: {Deleted} ports deleted")]
    private partial void LogFreed(string pool, int deleted);
}
