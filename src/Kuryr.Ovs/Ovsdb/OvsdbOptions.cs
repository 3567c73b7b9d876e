using System.Net;
using System.Net.Sockets;

namespace Kuryr.Ovs.Ovsdb;

/// <summary>
/// Where and how to reach ovsdb-server. The names follow os-vif's <c>[os_vif_ovs]</c>
/// (<c>ovsdb_connection</c>, <c>ovs_vsctl_timeout</c>).
/// </summary>
public sealed class OvsdbOptions
{
    /// <summary><c>unix:/path/db.sock</c> or <c>tcp:host:port</c>, as ovs-vsctl's <c>--db</c>.</summary>
    public string Connection { get; set; } = "unix:/run/openvswitch/db.sock";

    public string Database { get; set; } = "Open_vSwitch";

    /// <summary>How long one request may wait for its response.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest JSON value accepted from the server; a bigger one is a protocol error.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How many times a port change is retried when a concurrent change invalidated what it read.</summary>
    public int ConflictRetries { get; set; } = 8;

    /// <summary>Parses <see cref="Connection"/>; throws an <see cref="ArgumentException"/> naming the field.</summary>
    public EndPoint ParseEndPoint()
    {
        const string Field = "OvsdbOptions.Connection";
        var c = Connection;
        if (string.IsNullOrWhiteSpace(c))
        {
            throw new ArgumentException($"{Field} is empty; expected unix:<path> or tcp:<host>:<port>", nameof(Connection));
        }

        if (c.StartsWith("unix:", StringComparison.Ordinal) && c.Length > 5)
        {
            return new UnixDomainSocketEndPoint(c[5..]);
        }

        if (c.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var rest = c[4..];
            var colon = rest.LastIndexOf(':');
            if (colon > 0 && int.TryParse(rest[(colon + 1)..], out var port) && port is > 0 and < 65536)
            {
                var host = rest[..colon].Trim('[', ']');
                return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
            }
        }

        throw new ArgumentException($"{Field} '{c}' is not unix:<path> or tcp:<host>:<port>", nameof(Connection));
    }

    public void Validate()
    {
        _ = ParseEndPoint();
        if (string.IsNullOrWhiteSpace(Database))
        {
            throw new ArgumentException("OvsdbOptions.Database is empty", nameof(Database));
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"OvsdbOptions.RequestTimeout must be positive, not {RequestTimeout}", nameof(RequestTimeout));
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"OvsdbOptions.ConnectTimeout must be positive, not {ConnectTimeout}", nameof(ConnectTimeout));
        }

        if (MaxMessageBytes < 1024)
        {
            throw new ArgumentException($"OvsdbOptions.MaxMessageBytes must be at least 1024, not {MaxMessageBytes}", nameof(MaxMessageBytes));
        }

        if (ConflictRetries < 0)
        {
            throw new ArgumentException($"OvsdbOptions.ConflictRetries must not be negative, not {ConflictRetries}", nameof(ConflictRetries));
        }
    }
}
