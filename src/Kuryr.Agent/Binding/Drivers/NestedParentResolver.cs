using System.Net.Sockets;
using Kuryr.Config.Options;
using Kuryr.Netlink.Rtnl;
using Kuryr.Netlink.Rtnl.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Binding.Drivers;

/// <summary>
/// The VM interface nested VLAN/macvlan devices hang off (Kuryr's <c>nested.py</c> order):
/// <c>[binding] link_iface</c> if it exists, else the interface holding the node's kubelet address
/// (<see cref="VifPluggerOptions.NodeAddress"/>), else the first non-loopback interface.
/// </summary>
internal sealed partial class NestedParentResolver(IOptions<BindingOptions> binding, IOptions<VifPluggerOptions> plugger, ILogger<NestedParentResolver> logger)
{
    private const uint IffLoopback = 0x8;

    public async Task<LinkInfo> ResolveAsync(IRtNetlink host, CancellationToken cancellationToken)
    {
        string configured = binding.Value.LinkIface;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var link = await host.GetLinkAsync(configured, cancellationToken).ConfigureAwait(false);
            if (link is not null)
            {
                return link;
            }

            LogConfiguredParentMissing(logger, configured);
        }

        var nodeAddress = plugger.Value.NodeAddress;
        if (nodeAddress is not null)
        {
            var addresses = await host.ListAddressesAsync(nodeAddress.AddressFamily, null, cancellationToken).ConfigureAwait(false);
            var holder = addresses.FirstOrDefault(a => a.Address.Equals(nodeAddress));
            if (holder is not null)
            {
                var link = await host.GetLinkAsync(holder.InterfaceIndex, cancellationToken).ConfigureAwait(false);
                if (link is not null)
                {
                    return link;
                }
            }

            LogNodeAddressNotFound(logger, nodeAddress.ToString());
        }

        var links = await host.ListLinksAsync(cancellationToken).ConfigureAwait(false);
        var first = links.Where(l => (l.Flags & IffLoopback) == 0).OrderBy(l => l.Index).FirstOrDefault();
        return first ?? throw new VifBindingException(
            $"No parent interface for nested VIFs: [binding] link_iface '{configured}' does not exist, no interface holds the node address '{nodeAddress}', and there is no non-loopback interface");
    }

    [LoggerMessage(EventId = 6660, Level = LogLevel.Warning, Message = "[binding] link_iface {Interface} does not exist on this node; looking for the kubelet address instead")]
    private static partial void LogConfiguredParentMissing(ILogger logger, string @interface);

    [LoggerMessage(EventId = 6661, Level = LogLevel.Warning, Message = "No interface holds the node address {Address}; using the first non-loopback interface")]
    private static partial void LogNodeAddressNotFound(ILogger logger, string address);
}
