using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuryr.Testing.Proxy;

/// <summary>
/// A small HTTP/1.1 forwarding proxy on <c>127.0.0.1:&lt;ephemeral&gt;</c> in front of a real server,
/// for integration tests: it records every request, counts them per method and path, measures
/// how many matching requests are in flight at once, and injects faults (a status/body, a delay,
/// a hold until released, a dropped connection) into the next N matching requests.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host", "Expect", "Content-Length",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly Lock _gate = new();
    private readonly List<ProxiedRequest> _requests = [];
    private readonly List<FaultRule> _rules = [];
    private readonly List<ConcurrencyProbe> _probes = [];

    private FaultProxy(Uri upstream, WebApplication app, HttpClient client)
    {
        Upstream = upstream;
        _app = app;
        _client = client;
    }

    /// <summary>The server the proxy forwards to.</summary>
    public Uri Upstream { get; }

    /// <summary><c>http://127.0.0.1:port</c> plus the upstream's path (e.g. <c>/v2.0</c> or <c>/v3</c>).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request seen so far, oldest first.</summary>
    public IReadOnlyList<ProxiedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a proxy in front of <paramref name="upstream"/> (only its scheme, host and port are used for forwarding).</summary>
    public static async Task<FaultProxy> StartAsync(Uri upstream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var proxy = new FaultProxy(upstream, app, client);
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        proxy.BaseAddress = new UriBuilder(Uri.UriSchemeHttp, "127.0.0.1", bound.Port, upstream.AbsolutePath).Uri;
        return proxy;
    }

    /// <summary>Requests whose method equals <paramref name="method"/> (case-insensitive) and whose path matches the regex <paramref name="pathPattern"/>.</summary>
    public int Count(string method, string pathPattern) =>
        Count(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase) && Regex.IsMatch(r.Path, pathPattern));

    public int Count(Func<ProxiedRequest, bool> match)
    {
        lock (_gate)
        {
            return _requests.Count(match);
        }
    }

    /// <summary>Starts measuring the requests matching <paramref name="match"/> that are in flight at once.</summary>
    public ConcurrencyProbe TrackConcurrency(Func<ProxiedRequest, bool> match)
    {
        var probe = new ConcurrencyProbe(match);
        lock (_gate)
        {
            _probes.Add(probe);
        }

        return probe;
    }

    /// <summary>Applies <paramref name="fault"/> to the next <paramref name="times"/> requests matching <paramref name="match"/> (rules are tried in the order added).</summary>
    public FaultRule InjectFault(Func<ProxiedRequest, bool> match, ProxyFault fault, int times = 1)
    {
        var rule = new FaultRule(match, fault, times);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Same as <see cref="InjectFault(Func{ProxiedRequest, bool}, ProxyFault, int)"/> for a method and a path regex.</summary>
    public FaultRule InjectFault(string method, string pathPattern, ProxyFault fault, int times = 1) =>
        InjectFault(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase) && Regex.IsMatch(r.Path, pathPattern), fault, times);

    public void ClearFaults()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Forgets the recorded requests (fault rules and probes stay).</summary>
    public void ResetCounts()
    {
        lock (_gate)
        {
            _requests.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var req = context.Request;
        using var bodyStream = new MemoryStream();
        await req.Body.CopyToAsync(bodyStream, context.RequestAborted);
        var headers = req.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var seen = new ProxiedRequest(receivedAt, req.Method, req.Path.Value ?? "/", req.QueryString.Value ?? "", headers, bodyStream.ToArray());

        FaultRule? rule;
        List<ConcurrencyProbe> probes;
        lock (_gate)
        {
            _requests.Add(seen);
            rule = _rules.FirstOrDefault(r => r.Remaining > 0 && r.Match(seen) && r.TryTake());
            probes = _probes.Where(p => p.Match(seen)).ToList();
        }

        seen.Fault = rule?.Fault;
        probes.ForEach(p => p.Enter());
        try
        {
            switch (rule?.Fault)
            {
                case ProxyFault.StatusFault s:
                    context.Response.StatusCode = s.StatusCode;
                    foreach (var (k, v) in s.Headers)
                    {
                        context.Response.Headers[k] = v;
                    }

                    if (s.Body.Length > 0)
                    {
                        context.Response.ContentType = s.ContentType;
                        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(s.Body), context.RequestAborted);
                    }

                    seen.StatusCode = s.StatusCode;
                    return;
                case ProxyFault.DropFault { AfterForwarding: false }:
                    context.Abort();
                    return;
                case ProxyFault.DelayFault d:
                    await Task.Delay(d.Duration, context.RequestAborted);
                    break;
                case ProxyFault.WaitFault w:
                    await w.Release.WaitAsync(context.RequestAborted);
                    break;
                default:
                    break;
            }

            using var upstreamResponse = await ForwardAsync(context, seen);
            if (rule?.Fault is ProxyFault.DropFault)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = (int)upstreamResponse.StatusCode;
            foreach (var h in upstreamResponse.Headers.Concat(upstreamResponse.Content.Headers))
            {
                if (!HopByHop.Contains(h.Key))
                {
                    context.Response.Headers[h.Key] = h.Value.ToArray();
                }
            }

            var body = await upstreamResponse.Content.ReadAsByteArrayAsync(context.RequestAborted);
            if (body.Length > 0)
            {
                await context.Response.Body.WriteAsync(body, context.RequestAborted);
            }

            seen.StatusCode = (int)upstreamResponse.StatusCode;
        }
        finally
        {
            probes.ForEach(p => p.Exit());
        }
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpContext context, ProxiedRequest seen)
    {
        var target = new UriBuilder(Upstream.Scheme, Upstream.Host, Upstream.Port, seen.Path) { Query = seen.Query.TrimStart('?') }.Uri;
        using var message = new HttpRequestMessage(new HttpMethod(seen.Method), target);
        if (seen.Body.Length > 0 || context.Request.ContentLength is > 0)
        {
            message.Content = new ByteArrayContent(seen.Body);
        }

        foreach (var h in context.Request.Headers)
        {
            if (HopByHop.Contains(h.Key))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(h.Key, h.Value.ToArray()) && message.Content is not null)
            {
                message.Content.Headers.TryAddWithoutValidation(h.Key, h.Value.ToArray());
            }
        }

        return await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead, context.RequestAborted);
    }
}
