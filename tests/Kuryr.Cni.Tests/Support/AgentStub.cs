using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kuryr.Cni.Tests.Support;

/// <summary>
/// A small HTTP server on a unix socket that plays the AGENT'S ROLE in the kuryr-cni ↔ kuryr-agent
/// protocol, only so the tests can check what the kuryr-cni binary (the unit under test here) sends
/// and how it maps each answer. It is not the agent: the real kuryr-agent (netlink, OVS, KuryrPort
/// watch) comes in the next round of issue 6 and gets its own tests against real namespaces.
/// </summary>
public sealed class AgentStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AgentStub(WebApplication app, string socketPath)
    {
        _app = app;
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    /// <summary>Every request received: (method, path, JSON body or null).</summary>
    public ConcurrentQueue<(string Method, string Path, JsonObject? Body)> Requests { get; } = new();

    /// <summary>Answers a request; default 204 with no body.</summary>
    public Func<HttpContext, JsonObject?, Task> Handler { get; set; } = (ctx, _) =>
    {
        ctx.Response.StatusCode = 204;
        return Task.CompletedTask;
    };

    public static async Task<AgentStub> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("kuryr-cni-agent-").FullName;
        var socket = Path.Combine(dir, "agent.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket));
        var app = builder.Build();
        var stub = new AgentStub(app, socket);
        app.Run(async ctx =>
        {
            JsonObject? body = null;
            if (ctx.Request.ContentLength is > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
            {
                body = (await JsonNode.ParseAsync(ctx.Request.Body).ConfigureAwait(false)) as JsonObject;
            }

            stub.Requests.Enqueue((ctx.Request.Method, ctx.Request.Path.Value ?? "", body));
            await stub.Handler(ctx, body).ConfigureAwait(false);
        });
        await app.StartAsync().ConfigureAwait(false);
        return stub;
    }

    public static async Task WriteJsonAsync(HttpContext ctx, int status, string json)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(json).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(Path.GetDirectoryName(SocketPath)!, recursive: true);
    }
}
