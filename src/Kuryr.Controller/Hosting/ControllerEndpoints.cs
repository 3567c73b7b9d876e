using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.Hosting;

/// <summary>Where the controller's HTTP servers listen once started (ports 0 are resolved to the real ones).</summary>
public sealed class ControllerEndpoints
{
    /// <summary><c>/ready</c> and <c>/alive</c> (<c>[health_server] port</c>).</summary>
    public Uri? Health { get; internal set; }

    /// <summary><c>/metrics</c> (<c>[prometheus_exporter] controller_exporter_port</c>).</summary>
    public Uri? Metrics { get; internal set; }
}
