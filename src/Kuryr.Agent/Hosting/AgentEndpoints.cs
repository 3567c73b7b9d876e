using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuryr.Agent.Hosting;

/// <summary>Where the agent's HTTP servers listen once started (ports 0 resolved to the real ones).</summary>
public sealed class AgentEndpoints
{
    /// <summary><c>/ready</c> and <c>/alive</c> (<c>[cni_health_server] port</c>).</summary>
    public Uri? Health { get; internal set; }

    /// <summary><c>/metrics</c> (<c>[prometheus_exporter] cni_exporter_port</c>).</summary>
    public Uri? Metrics { get; internal set; }
}

/// <summary>A small Kestrel app on one TCP port, sharing the agent's logging.</summary>
internal static class KestrelApp
{
    public static WebApplication Create(int port, ILoggerFactory loggerFactory, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(KestrelApp).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, port));
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>The bound address as a loopback URL.</summary>
    public static Uri BoundAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
        return new Uri("http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/");
    }
}
