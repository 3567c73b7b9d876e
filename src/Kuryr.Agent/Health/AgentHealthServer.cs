using Kuryr.Agent.Hosting;
using Kuryr.Config.Options;
using Kuryr.Observability.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Health;

/// <summary>Kestrel on <c>[cni_health_server] port</c>: /ready and /alive (<see cref="HealthProbeServer"/>).</summary>
internal sealed partial class AgentHealthServer(
    HealthCheckService checks,
    IOptions<CniHealthServerOptions> options,
    AgentEndpoints endpoints,
    ILoggerFactory loggerFactory) : HealthProbeServer(checks, loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AgentHealthServer>();

    protected override int Port => options.Value.Port;

    protected override void OnStarted(Uri address)
    {
        endpoints.Health = address;
        LogListening(_logger, address);
    }

    protected override void OnProbeFailing(string probe, string failing) => LogProbeFailed(_logger, probe, failing);

    [LoggerMessage(EventId = 6940, Level = LogLevel.Information, Message = "Agent health server listening on {Address} (/ready, /alive)")]
    private static partial void LogListening(ILogger logger, Uri address);

    [LoggerMessage(EventId = 6941, Level = LogLevel.Warning, Message = "/{Probe} failing: {Failing}")]
    private static partial void LogProbeFailed(ILogger logger, string probe, string failing);
}

/// <summary>Composition of the agent's health server.</summary>
public static class AgentHealthServiceCollectionExtensions
{
    /// <summary>Adds the /ready (kuryrports, kubernetes_api, cni_socket) and /alive (cni_requests, informer, memory) checks and their server.</summary>
    public static IServiceCollection AddKuryrAgentHealth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<AgentEndpoints>();
        string[] ready = [AgentHealthCheckNames.ReadyTag];
        string[] alive = [AgentHealthCheckNames.AliveTag];
        services.AddHealthChecks()
            .AddCheck<KuryrPortsSyncedCheck>(AgentHealthCheckNames.KuryrPorts, tags: ready)
            .AddCheck<KubernetesApiCheck>(AgentHealthCheckNames.KubernetesApi, tags: ready)
            .AddCheck<SocketListeningCheck>(AgentHealthCheckNames.Socket, tags: ready)
            .AddCheck<RequestsNotStuckCheck>(AgentHealthCheckNames.Requests, tags: alive)
            .AddCheck<InformerRunningCheck>(AgentHealthCheckNames.Informer, tags: alive)
            .AddCheck<MemoryCheck>(AgentHealthCheckNames.Memory, tags: alive);
        services.TryAddSingleton<KubernetesApiCheck>();
        services.AddSingleton<IHostedService, AgentHealthServer>();
        return services;
    }
}
