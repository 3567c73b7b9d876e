using System.Net.Sockets;
using System.Text.Json.Nodes;
using Kuryr.LocalCluster.Summary;

namespace Kuryr.LocalCluster.Processes;

/// <summary>The controller's /metrics (Neutron request counter) and its pool management socket.</summary>
public sealed class ControllerEndpoints : IDisposable
{
    public const string NeutronRequestsMetric = "kuryr_neutron_requests_total";

    private readonly HttpClient _metrics = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly HttpClient _manage;
    private readonly Uri _metricsUri;

    public ControllerEndpoints(Uri metrics, string managementSocket)
    {
        _metricsUri = new Uri(metrics, "metrics");
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(managementSocket), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _manage = new HttpClient(handler) { BaseAddress = new Uri("http://localhost/"), Timeout = TimeSpan.FromSeconds(120) };
    }

    /// <summary>The sum of <see cref="NeutronRequestsMetric"/> over every label set.</summary>
    public async Task<double> NeutronRequestsAsync(CancellationToken cancellationToken)
    {
        var text = await _metrics.GetStringAsync(_metricsUri, cancellationToken).ConfigureAwait(false);
        return PrometheusText.Sum(text, NeutronRequestsMetric);
    }

    /// <summary>GET /pools, as levels per pool.</summary>
    public async Task<IReadOnlyList<PoolLevel>> PoolsAsync(CancellationToken cancellationToken)
    {
        var body = await _manage.GetStringAsync(new Uri("pools", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        return ParsePools(body);
    }

    /// <summary>Parses the management API's <c>GET /pools</c> answer.</summary>
    public static IReadOnlyList<PoolLevel> ParsePools(string body)
    {
        var root = JsonNode.Parse(body) ?? throw new FormatException("GET /pools: empty answer");
        var pools = root["pools"]?.AsArray() ?? throw new FormatException("GET /pools: no \"pools\" array");
        return [.. pools.Select(p => new PoolLevel(
            p!["id"]!.GetValue<string>(),
            p["driver"]?.GetValue<string>() ?? "?",
            p["counts"]?["available"]?.GetValue<int>() ?? 0,
            p["counts"]?["assigned"]?.GetValue<int>() ?? 0,
            p["counts"]?["recyclable"]?.GetValue<int>() ?? 0))];
    }

    /// <summary>POST /pools/{id}/populate (what <c>kuryr-poolctl populate</c> sends); returns the ports created.</summary>
    public async Task<int> PopulateAsync(string pool, int ports, string subnetId, string securityGroupId, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["ports"] = ports,
            ["subnetId"] = subnetId,
            ["securityGroups"] = new JsonArray(securityGroupId),
        };
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var r = await _manage.PostAsync(new Uri("pools/" + pool + "/populate", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var text = await r.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!r.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"populate {pool}: {(int)r.StatusCode} {text}");
        }

        return JsonNode.Parse(text)?["created"]?.GetValue<int>() ?? 0;
    }

    /// <summary>POST /pools/{id}/free; returns how many ports the controller deleted.</summary>
    public async Task<int> FreeAsync(string pool, CancellationToken cancellationToken)
    {
        using var r = await _manage.PostAsync(new Uri("pools/" + pool + "/free", UriKind.Relative), null, cancellationToken).ConfigureAwait(false);
        var text = await r.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!r.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"free {pool}: {(int)r.StatusCode} {text}");
        }

        return JsonNode.Parse(text)?["deleted"]?.GetValue<int>() ?? 0;
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _manage.Dispose();
    }
}
