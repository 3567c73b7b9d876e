using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Kuryr.Agent.Metrics;
using Kuryr.Cni.Spec.Agent;
using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Serialization;
using Kuryr.Config.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Cni;

/// <summary>
/// Kestrel (HTTP/1.1) on the unix socket <c>[cni_daemon] socket_path</c>, mode 0660: the kuryr-cni
/// protocol of <see cref="AgentProtocol"/>. At most <c>[cni_daemon] worker_num</c> requests run at once;
/// every request is timed into <c>kuryr_cni_request_duration_seconds{command,error}</c>.
/// </summary>
internal sealed partial class CniServer(
    ICniRequestHandler handler,
    CniActivity activity,
    AgentMetrics metrics,
    IOptions<CniDaemonOptions> options,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    /// <summary>Largest request body accepted (a network config with prevResult is a few KiB).</summary>
    internal const long MaxBodyBytes = 1 << 20;

    /// <summary>rw-rw---- .</summary>
    internal const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private readonly ILogger _logger = loggerFactory.CreateLogger<CniServer>();
    private readonly SemaphoreSlim _workers = new(options.Value.WorkerNum, options.Value.WorkerNum);
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the CNI socket needs Linux (unix socket with file mode 0660)");
        }

        var path = options.Value.SocketPath;
        PrepareSocket(path);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(CniServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
            k.ListenUnixSocket(path);
        });
        var app = builder.Build();
        app.MapPost(AgentProtocol.AddPath, ctx => ServeAsync(ctx, "ADD"));
        app.MapPost(AgentProtocol.DelPath, ctx => ServeAsync(ctx, "DEL"));
        app.MapPost(AgentProtocol.CheckPath, ctx => ServeAsync(ctx, "CHECK"));
        app.MapPost(AgentProtocol.GcPath, ctx => ServeAsync(ctx, "GC"));
        app.MapGet(AgentProtocol.StatusPath, ctx => ServeAsync(ctx, "STATUS"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(path, SocketMode);
        _app = app;
        activity.SocketPath = path;
        activity.Listening = true;
        LogListening(_logger, path);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        activity.Listening = false;
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _workers.Dispose();
    }

    /// <summary>Creates the directory (0750) and removes a stale socket file; refuses when another agent listens there.</summary>
    internal static void PrepareSocket(string path)
    {
        var dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir) && OperatingSystem.IsLinux())
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        if (!File.Exists(path))
        {
            return;
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException($"[cni_daemon] socket_path {path}: another process is listening on it; refusing to take it over");
            }
            catch (SocketException)
            {
                // A socket left by an agent that died.
            }
        }

        File.Delete(path);
    }

    private async Task ServeAsync(HttpContext context, string command)
    {
        var started = Stopwatch.GetTimestamp();
        CniAnswer answer;
        await _workers.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            var request = command == "STATUS" ? new AgentRequest { Command = command } : await ReadAsync(context, command).ConfigureAwait(false);
            var what = $"{command} {request.ContainerId ?? ""} {request.IfName ?? ""}".TrimEnd();
            using (activity.Start(what))
            {
                answer = request.Command == command
                    ? await handler.HandleAsync(command, request, context.RequestAborted).ConfigureAwait(false)
                    : CniAnswer.Fail(400, CniErrorCodes.InvalidEnvironment, $"request body command \"{request.Command}\" does not match the endpoint ({command})");
            }
        }
        catch (BadRequestException e)
        {
            answer = CniAnswer.Fail(400, CniErrorCodes.DecodeFailure, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            LogAborted(_logger, command);
            metrics.RecordRequest(command, true, Stopwatch.GetElapsedTime(started));
            return;
        }
#pragma warning disable CA1031 // Every failure becomes a CNI error answer; the agent keeps serving.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(_logger, command, e);
            answer = CniAnswer.Fail(500, CniErrorCodes.InternalError, $"{command} failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _workers.Release();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.RecordRequest(command, answer.Error is not null, elapsed);
        if (answer.Error is { } error)
        {
            LogAnswerError(_logger, command, error.Code, error.Msg, elapsed.TotalMilliseconds);
        }

        await WriteAsync(context, answer).ConfigureAwait(false);
    }

    private static async Task<AgentRequest> ReadAsync(HttpContext context, string command)
    {
        try
        {
            var request = await JsonSerializer.DeserializeAsync(context.Request.Body, CniJsonContext.Default.AgentRequest, context.RequestAborted).ConfigureAwait(false);
            return request ?? throw new BadRequestException($"{command}: empty request body (expected kuryr-cni's JSON request)");
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"{command}: the request body is not a kuryr-cni request: {e.Message}");
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            throw new BadRequestException($"{command}: {e.Message}");
        }
    }

    private static async Task WriteAsync(HttpContext context, CniAnswer answer)
    {
        context.Response.StatusCode = answer.HttpStatus;
        if (answer.Result is { } result)
        {
            context.Response.ContentType = AgentProtocol.JsonMediaType;
            await JsonSerializer.SerializeAsync(context.Response.Body, result, CniJsonContext.Default.CniResult, context.RequestAborted).ConfigureAwait(false);
        }
        else if (answer.Error is { } error)
        {
            context.Response.ContentType = AgentProtocol.JsonMediaType;
            await JsonSerializer.SerializeAsync(context.Response.Body, error, CniJsonContext.Default.CniError, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private sealed class BadRequestException(string message) : Exception(message);

    [LoggerMessage(EventId = 6840, Level = LogLevel.Information, Message = "CNI server listening on unix:{Socket} (mode 0660)")]
    private static partial void LogListening(ILogger logger, string socket);

    [LoggerMessage(EventId = 6841, Level = LogLevel.Warning, Message = "CNI {Command} answered error {Code}: {Message} ({Milliseconds:0} ms)")]
    private static partial void LogAnswerError(ILogger logger, string command, int code, string message, double milliseconds);

    [LoggerMessage(EventId = 6842, Level = LogLevel.Error, Message = "CNI {Command} failed")]
    private static partial void LogFailed(ILogger logger, string command, Exception exception);

    [LoggerMessage(EventId = 6843, Level = LogLevel.Information, Message = "CNI {Command}: kuryr-cni went away before the answer")]
    private static partial void LogAborted(ILogger logger, string command);
}
