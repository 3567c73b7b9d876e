using System.Net;
using System.Net.Sockets;

namespace Kuryr.Kubernetes.Tests.Informers;

/// <summary>
/// Fault injector for the real API server: a byte-level TCP forwarder on 127.0.0.1 (TLS passes
/// through untouched; the server certificate names 127.0.0.1). <see cref="DropAll"/> cuts every
/// open connection (a watch breaks mid-stream); <see cref="Blocked"/> refuses new ones (the
/// server looks unreachable).
/// </summary>
public sealed class TcpCutProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(TcpClient Down, TcpClient Up)> _open = [];
    private readonly Task _accept;
    private int _accepted;

    public TcpCutProxy(Uri upstream)
    {
        _upstream = new IPEndPoint(IPAddress.Parse(upstream.Host), upstream.Port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Refuse (close at once) every new connection while true.</summary>
    public bool Blocked { get; set; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary><paramref name="server"/> with its port replaced by the proxy's.</summary>
    public Uri Rewrite(Uri server) => new UriBuilder(server) { Port = Port }.Uri;

    /// <summary>Closes every open connection.</summary>
    public void DropAll()
    {
        List<(TcpClient Down, TcpClient Up)> open;
        lock (_gate)
        {
            open = [.. _open];
            _open.Clear();
        }

        foreach (var (down, up) in open)
        {
            down.Client.LingerState = new LingerOption(true, 0);
            down.Dispose();
            up.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        try
        {
            await _accept;
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var down = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            if (Blocked)
            {
                down.Client.LingerState = new LingerOption(true, 0);
                down.Dispose();
                continue;
            }

            _ = Task.Run(() => ForwardAsync(down));
        }
    }

    private async Task ForwardAsync(TcpClient down)
    {
        var up = new TcpClient();
        try
        {
            await up.ConnectAsync(_upstream, _stop.Token);
            lock (_gate)
            {
                _open.Add((down, up));
            }

            var a = down.GetStream().CopyToAsync(up.GetStream(), _stop.Token);
            var b = up.GetStream().CopyToAsync(down.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove((down, up));
            }

            down.Dispose();
            up.Dispose();
        }
    }
}
