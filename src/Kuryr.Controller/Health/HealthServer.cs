using Kuryr.Config.Options;
using Kuryr.Controller.Hosting;
using Kuryr.Observability.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Health;

/// <summary>Kestrel on <c>[health_server] port</c>: /ready and /alive (<see cref="HealthProbeServer"/>).</summary>
internal sealed partial class HealthServer(
    HealthCheckService checks,
    IOptions<HealthServerOptions> options,
    ControllerEndpoints endpoints,
    ILoggerFactory loggerFactory) : HealthProbeServer(checks, loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<HealthServer>();

    protected override int Port => options.Value.Port;

    protected override void OnStarted(Uri address)
    {
        endpoints.Health = address;
        LogListening(_logger, address);
    }

    protected override void OnProbeFailing(string probe, string failing) => LogProbeFailed(_logger, probe, failing);

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Health server listening on {Address} (/ready, /alive)")]
    private static partial void LogListening(ILogger logger, Uri address);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "/{Probe} failing: {Failing}")]
    private static partial void LogProbeFailed(ILogger logger, string probe, string failing);
}
