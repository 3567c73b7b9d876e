using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kuryr.Ovs.JsonRpc;

namespace Kuryr.Ovs.Tests.JsonRpc;

/// <summary>
/// A scripted unix-socket peer for framing and protocol unit tests only: the test reads what the
/// client sent and writes raw bytes back. Behaviour of the real server is tested against ovsdb-server.
/// </summary>
internal sealed class FakeOvsdbServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _dir;
    private readonly List<Socket> _accepted = [];

    public FakeOvsdbServer()
    {
        _dir = Directory.CreateTempSubdirectory("kuryr-fake-ovsdb-").FullName;
        Path = System.IO.Path.Combine(_dir, "db.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(8);
    }

    public string Path { get; }

    public string Connection => "unix:" + Path;

    public async Task<Peer> AcceptAsync()
    {
        var s = await _listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _accepted.Add(s);
        return new Peer(s);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var s in _accepted)
        {
            s.Dispose();
        }

        _listener.Dispose();
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    internal sealed class Peer(Socket socket)
    {
        private readonly JsonValueFramer _framer = new(1 << 20);

        public Socket Socket => socket;

        public async Task<JsonElement> ReceiveAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                if (_framer.TryReadValue(out var v))
                {
                    using var doc = JsonDocument.Parse(v);
                    return doc.RootElement.Clone();
                }

                var n = await socket.ReceiveAsync(_framer.GetReceiveMemory(), SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    throw new IOException("client closed");
                }

                _framer.Advance(n);
            }
        }

        public async Task SendAsync(string raw) => await socket.SendAsync(Encoding.UTF8.GetBytes(raw), SocketFlags.None);
    }
}
