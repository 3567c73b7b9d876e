using System.Text.Json;
using System.Text.Json.Serialization;
using Kuryr.Agent.Hosting;
using Kuryr.Config.Options;
using Kuryr.Observability.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Health;

/// <summary>Kestrel on <c>[cni_health_server] port</c>: /ready and /alive, 200 when all their checks pass, else 503, JSON body listing every check.</summary>
internal sealed partial class AgentHealthServer(
    HealthCheckService checks,
    IOptions<CniHealthServerOptions> options,
    AgentEndpoints endpoints,
    ILoggerFactory loggerFactory) : PortServer(loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AgentHealthServer>();

    protected override int Port => options.Value.Port;

    protected override void Map(WebApplication app)
    {
        app.MapGet("/ready", ctx => AnswerAsync(ctx, AgentHealthCheckNames.ReadyTag));
        app.MapGet("/alive", ctx => AnswerAsync(ctx, AgentHealthCheckNames.AliveTag));
    }

    protected override void OnStarted(Uri address)
    {
        endpoints.Health = address;
        LogListening(_logger, address);
    }

    private async Task AnswerAsync(HttpContext context, string tag)
    {
        var report = await checks.CheckHealthAsync(r => r.Tags.Contains(tag), context.RequestAborted).ConfigureAwait(false);
        var body = new AgentHealthBody(
            report.Status == HealthStatus.Healthy ? "ok" : "failing",
            [.. report.Entries.Select(e => new AgentHealthCheckBody(e.Key, e.Value.Status == HealthStatus.Healthy ? "ok" : "failing", e.Value.Description))]);
        if (report.Status != HealthStatus.Healthy)
        {
            var failing = string.Join(", ", body.Checks.Where(c => c.Status != "ok").Select(c => c.Name + ": " + c.Detail));
            LogProbeFailed(_logger, tag, failing);
        }

        context.Response.StatusCode = report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, AgentHealthJsonContext.Default.AgentHealthBody, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 6940, Level = LogLevel.Information, Message = "Agent health server listening on {Address} (/ready, /alive)")]
    private static partial void LogListening(ILogger logger, Uri address);

    [LoggerMessage(EventId = 6941, Level = LogLevel.Warning, Message = "/{Probe} failing: {Failing}")]
    private static partial void LogProbeFailed(ILogger logger, string probe, string failing);
}

/// <summary>The JSON body of /ready and /alive.</summary>
internal sealed record AgentHealthBody(string Status, IReadOnlyList<AgentHealthCheckBody> Checks);

/// <summary>One check in <see cref="AgentHealthBody"/>.</summary>
internal sealed record AgentHealthCheckBody(string Name, string Status, string? Detail);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentHealthBody))]
internal sealed partial class AgentHealthJsonContext : JsonSerializerContext;

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
