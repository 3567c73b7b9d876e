using System.Text.Json;
using System.Text.Json.Serialization;
using Kuryr.Config.Options;
using Kuryr.Controller.Hosting;
using Kuryr.Observability.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Health;

/// <summary>
/// Kestrel on <c>[health_server] port</c>: <c>/ready</c> runs the checks tagged
/// <see cref="ControllerHealthCheckNames.ReadyTag"/>, <c>/alive</c> those tagged
/// <see cref="ControllerHealthCheckNames.AliveTag"/>. 200 when all pass, else 503; the JSON body lists every check.
/// </summary>
internal sealed partial class HealthServer(
    HealthCheckService checks,
    IOptions<HealthServerOptions> options,
    ControllerEndpoints endpoints,
    ILoggerFactory loggerFactory) : PortServer(loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<HealthServer>();

    protected override int Port => options.Value.Port;

    protected override void Map(WebApplication app)
    {
        app.MapGet("/ready", ctx => AnswerAsync(ctx, ControllerHealthCheckNames.ReadyTag));
        app.MapGet("/alive", ctx => AnswerAsync(ctx, ControllerHealthCheckNames.AliveTag));
    }

    protected override void OnStarted(Uri address)
    {
        endpoints.Health = address;
        LogListening(_logger, address);
    }

    private async Task AnswerAsync(HttpContext context, string tag)
    {
        var report = await checks.CheckHealthAsync(r => r.Tags.Contains(tag), context.RequestAborted).ConfigureAwait(false);
        var body = new HealthBody(
            report.Status == HealthStatus.Healthy ? "ok" : "failing",
            [.. report.Entries.Select(e => new HealthCheckBody(e.Key, e.Value.Status == HealthStatus.Healthy ? "ok" : "failing", e.Value.Description))]);
        if (report.Status != HealthStatus.Healthy)
        {
            var failing = string.Join(", ", body.Checks.Where(c => c.Status != "ok").Select(c => c.Name + ": " + c.Detail));
            LogProbeFailed(_logger, tag, failing);
        }

        context.Response.StatusCode = report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJsonContext.Default.HealthBody, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Health server listening on {Address} (/ready, /alive)")]
    private static partial void LogListening(ILogger logger, Uri address);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "/{Probe} failing: {Failing}")]
    private static partial void LogProbeFailed(ILogger logger, string probe, string failing);
}

/// <summary>The JSON body of /ready and /alive.</summary>
internal sealed record HealthBody(string Status, IReadOnlyList<HealthCheckBody> Checks);

/// <summary>One check in <see cref="HealthBody"/>.</summary>
internal sealed record HealthCheckBody(string Name, string Status, string? Detail);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthBody))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
