using Kuryr.Netlink.Namespaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Netlink.Rtnl;

/// <summary>Creates each client's socket on a runner thread inside the wanted namespace.</summary>
internal sealed class RtNetlinkFactory(INetnsRunner runner, ILoggerFactory? loggerFactory = null) : IRtNetlinkFactory
{
    private readonly ILoggerFactory _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;

    public async Task<IRtNetlink> OpenHostAsync(CancellationToken cancellationToken = default)
    {
        // /proc/self is the thread-group leader, which never enters another namespace.
        using NetworkNamespace host = NetworkNamespace.Open("/proc/self/ns/net");
        return await OpenAsync(host, "host", cancellationToken).ConfigureAwait(false);
    }

    public Task<IRtNetlink> OpenAsync(NetworkNamespace target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return OpenAsync(target, target.ToString(), cancellationToken);
    }

    private async Task<IRtNetlink> OpenAsync(NetworkNamespace target, string name, CancellationToken cancellationToken)
    {
        NetlinkSocket socket = await runner.RunAsync(target, NetlinkSocket.Create, cancellationToken).ConfigureAwait(false);
        return new RtNetlinkClient(socket, name, _loggerFactory.CreateLogger<RtNetlinkClient>());
    }
}
