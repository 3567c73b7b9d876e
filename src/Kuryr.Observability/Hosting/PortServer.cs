using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kuryr.Observability.Hosting;

/// <summary>
/// A small Kestrel app on one TCP port (health probes, Prometheus metrics) run as a hosted service,
/// sharing the process's logging. Port 0 takes an ephemeral port; <see cref="Address"/> is the bound
/// loopback URL once started. Used by kuryr-controller and kuryr-agent.
/// </summary>
public abstract class PortServer(ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The bound address as a loopback URL (for local probes and tests); null until started.</summary>
    public Uri? Address { get; private set; }

    /// <summary>The TCP port to listen on (all addresses; 0 = ephemeral).</summary>
    protected abstract int Port { get; }

    /// <summary>Services the app itself needs (added to its own container).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Maps the endpoints.</summary>
    protected abstract void Map(WebApplication app);

    /// <summary>Called once listening on <paramref name="address"/>.</summary>
    protected virtual void OnStarted(Uri address)
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = GetType().Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, Port));
        ConfigureServices(builder.Services);
        var app = builder.Build();
        Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Address = BoundAddress(app);
        OnStarted(Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
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
            _app = null;
        }

        GC.SuppressFinalize(this);
    }

    private static Uri BoundAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
        return new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + "/");
    }
}
