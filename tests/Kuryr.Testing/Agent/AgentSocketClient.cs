using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Kuryr.Testing.Agent;

/// <summary>Talks to an agent's CNI socket the way kuryr-cni does (HTTP/1.1 over the unix socket, JSON body).</summary>
public sealed class AgentSocketClient : IDisposable
{
    private readonly HttpClient _http;

    public AgentSocketClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://kuryr-agent/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>A request body: command, CNI_* values, CNI_ARGS pairs and the network config.</summary>
    public static JsonObject Request(string command, string containerId, string? netns, string ifName, string? ns = null, string? pod = null, string? uid = null, JsonObject? config = null)
    {
        var args = new JsonObject();
        if (ns is not null)
        {
            args["K8S_POD_NAMESPACE"] = ns;
        }

        if (pod is not null)
        {
            args["K8S_POD_NAME"] = pod;
        }

        if (uid is not null)
        {
            args["K8S_POD_UID"] = uid;
        }

        return new JsonObject
        {
            ["command"] = command,
            ["containerId"] = containerId,
            ["netns"] = netns,
            ["ifName"] = ifName,
            ["args"] = args,
            ["path"] = "/opt/cni/bin",
            ["config"] = config?.DeepClone() ?? new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "kuryr", ["type"] = "kuryr-cni" },
        };
    }

    /// <summary>POST /cni/{verb}; returns the status and the parsed body (null when empty).</summary>
    public async Task<(int Status, JsonNode? Body)> PostAsync(string verb, JsonObject body)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("cni/" + verb, UriKind.Relative), body).ConfigureAwait(false);
        return ((int)response.StatusCode, await ReadAsync(response).ConfigureAwait(false));
    }

    /// <summary>GET /cni/status.</summary>
    public async Task<(int Status, JsonNode? Body)> StatusAsync()
    {
        using var response = await _http.GetAsync(new Uri("cni/status", UriKind.Relative)).ConfigureAwait(false);
        return ((int)response.StatusCode, await ReadAsync(response).ConfigureAwait(false));
    }

    /// <summary>POST raw bytes to /cni/{verb}.</summary>
    public async Task<(int Status, JsonNode? Body)> PostRawAsync(string verb, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri("cni/" + verb, UriKind.Relative), content).ConfigureAwait(false);
        return ((int)response.StatusCode, await ReadAsync(response).ConfigureAwait(false));
    }

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    public void Dispose() => _http.Dispose();
}
