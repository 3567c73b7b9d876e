using System.Text.Json;
using System.Text.Json.Serialization;
using Kuryr.Observability.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Kuryr.Observability.Health;

/// <summary>
/// Kestrel on one port: <c>/ready</c> runs the health checks tagged <see cref="ReadyTag"/>, <c>/alive</c>
/// those tagged <see cref="AliveTag"/>. 200 when all pass, else 503; the JSON body
/// (<c>{"status":"ok|failing","checks":[{"name","status","detail"}]}</c>) lists every check.
/// Used by kuryr-controller and kuryr-agent; each logs with its own event ids.
/// </summary>
public abstract class HealthProbeServer(HealthCheckService checks, ILoggerFactory loggerFactory) : PortServer(loggerFactory)
{
    /// <summary>Tag of the checks behind <c>/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Tag of the checks behind <c>/alive</c>.</summary>
    public const string AliveTag = "alive";

    protected override void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/ready", ctx => AnswerAsync(ctx, ReadyTag));
        app.MapGet("/alive", ctx => AnswerAsync(ctx, AliveTag));
    }

    /// <summary>Called when a probe answers 503: <paramref name="failing"/> is "name: detail, ..." of the failing checks.</summary>
    protected abstract void OnProbeFailing(string probe, string failing);

    private async Task AnswerAsync(HttpContext context, string tag)
    {
        var report = await checks.CheckHealthAsync(r => r.Tags.Contains(tag), context.RequestAborted).ConfigureAwait(false);
        var body = new HealthProbeBody(
            report.Status == HealthStatus.Healthy ? "ok" : "failing",
            [.. report.Entries.Select(e => new HealthProbeCheckBody(e.Key, e.Value.Status == HealthStatus.Healthy ? "ok" : "failing", e.Value.Description))]);
        if (report.Status != HealthStatus.Healthy)
        {
            OnProbeFailing(tag, string.Join(", ", body.Checks.Where(c => c.Status != "ok").Select(c => c.Name + ": " + c.Detail)));
        }

        context.Response.StatusCode = report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, HealthProbeJsonContext.Default.HealthProbeBody, context.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>The JSON body of /ready and /alive.</summary>
internal sealed record HealthProbeBody(string Status, IReadOnlyList<HealthProbeCheckBody> Checks);

/// <summary>One check in <see cref="HealthProbeBody"/>.</summary>
internal sealed record HealthProbeCheckBody(string Name, string Status, string? Detail);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthProbeBody))]
internal sealed partial class HealthProbeJsonContext : JsonSerializerContext;
