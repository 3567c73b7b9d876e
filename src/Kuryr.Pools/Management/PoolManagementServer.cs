using Kuryr.Config.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Management;

/// <summary>The pool management API server on <c>[pool_manager] sock_file</c>.</summary>
public interface IPoolManagementServer
{
    /// <summary>The socket path served (valid once started).</summary>
    string SocketPath { get; }

    /// <summary>Prepares the socket file, binds Kestrel on it and sets mode 0660.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops serving and removes the socket file.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>Kestrel (HTTP/1.1) on a unix socket, one terminal delegate: <see cref="PoolManagementHandler"/>.
/// Also an <see cref="IHostedService"/> so the controller's host starts and stops it.</summary>
internal sealed partial class PoolManagementServer(
    IOptions<PoolManagerOptions> options,
    PoolManagementHandler handler,
    ILoggerFactory loggerFactory,
    ILogger<PoolManagementServer> logger) : IPoolManagementServer, IHostedService, IAsyncDisposable
{
    /// <summary>Largest request body accepted (a populate body is tiny).</summary>
    public const long MaxRequestBodySize = 64 * 1024;

    private WebApplication? _app;

    public string SocketPath { get; private set; } = options.Value.SockFile;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the pool management server is already started");
        }

        SocketPath = options.Value.SockFile;
        if (UnixSocketListener.Prepare(SocketPath))
        {
            LogStaleSocketRemoved(SocketPath);
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "kuryr-pool-manager" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = MaxRequestBodySize;
            k.ListenUnixSocket(SocketPath);
        });
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        UnixSocketListener.Restrict(SocketPath);
        LogListening(SocketPath);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is null)
        {
            return;
        }

        try
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
            File.Delete(SocketPath);
            LogStopped(SocketPath);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
