using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using Kuryr.Cni.Spec.Agent;
using Kuryr.Cni.Spec.Invocation;
using Kuryr.Cni.Spec.Serialization;

namespace Kuryr.Cni.Agent;

/// <summary>HTTP/1.1 over the agent's unix socket, one connection per call.</summary>
internal sealed class UnixSocketAgentClient : IAgentClient, IDisposable
{
    private readonly string _socketPath;
    private readonly HttpClient _http;

    public UnixSocketAgentClient(string socketPath, TimeSpan timeout)
    {
        _socketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = timeout, BaseAddress = new Uri("http://kuryr-agent") };
    }

    public async Task<AgentResponse> SendAsync(CniCommand command, AgentRequest request, CancellationToken cancellationToken)
    {
        var (method, path) = AgentRequest.Route(command);
        using var message = new HttpRequestMessage(method, path) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        message.Headers.ConnectionClose = true;
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue(AgentProtocol.UserAgent, "1"));
        var body = JsonSerializer.SerializeToUtf8Bytes(request, CniJsonContext.Default.AgentRequest);
        message.Content = new ByteArrayContent(body);
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(AgentProtocol.JsonMediaType);
        try
        {
            using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return new AgentResponse((int)response.StatusCode, bytes);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentUnreachableException(_socketPath, $"no answer within {_http.Timeout.TotalSeconds:0} s", timedOut: true, ex);
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException se
                ? $"cannot connect ({se.SocketErrorCode})"
                : ex.HttpRequestError == HttpRequestError.ConnectionError ? "cannot connect" : $"the connection failed ({ex.HttpRequestError})";
            throw new AgentUnreachableException(_socketPath, reason, timedOut: false, ex);
        }
        catch (IOException ex)
        {
            throw new AgentUnreachableException(_socketPath, "the connection failed", timedOut: false, ex);
        }
    }

    public void Dispose() => _http.Dispose();
}
