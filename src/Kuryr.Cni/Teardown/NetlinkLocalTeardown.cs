using Kuryr.Cni.Spec.Config;
using Kuryr.Cni.Spec.Invocation;
using Kuryr.Netlink;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl.Errors;

namespace Kuryr.Cni.Teardown;

/// <summary>
/// DEL with the agent down: opens <c>CNI_NETNS</c> (if it still exists), finds the link called
/// <c>CNI_IFNAME</c> there and deletes it. Deleting a veth end removes its host peer with it (so the
/// host side of an OVS/hybrid plug loses its veth; the OVS port record is the agent's to drop); a
/// macvlan or VLAN subinterface simply goes. A missing netns, a missing link or a link that vanishes
/// between lookup and delete is success. Never throws: any other failure is described in the returned
/// text (logged as event 6403) and the DEL still succeeds — the agent reconciles when it is back.
/// </summary>
internal sealed class NetlinkLocalTeardown : ILocalTeardown
{
    /// <summary>A local teardown is a couple of netlink round trips; never hold a DEL longer than this.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<string> TearDownAsync(CniInvocation invocation, NetworkConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var netns = invocation.Netns;
        var ifName = invocation.IfName;
        if (string.IsNullOrEmpty(netns))
        {
            return "no CNI_NETNS: nothing to remove locally";
        }

        if (string.IsNullOrEmpty(ifName))
        {
            return "no CNI_IFNAME: nothing to remove locally";
        }

        NetworkNamespace ns;
        try
        {
            ns = NetworkNamespace.Open(netns);
        }
        catch (NetworkNamespaceException ex)
        {
            return $"netns {netns} is gone ({ex.Message}): nothing to remove locally";
        }

        var (runner, factory) = NetlinkServiceCollectionExtensions.CreateStandalone(runnerThreads: 1);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var rtnl = await factory.OpenAsync(ns, timeout.Token).ConfigureAwait(false);
            var link = await rtnl.GetLinkAsync(ifName, timeout.Token).ConfigureAwait(false);
            if (link is null)
            {
                return $"no interface {ifName} in netns {netns}: nothing to remove locally";
            }

            try
            {
                await rtnl.DeleteLinkAsync(link.Index, timeout.Token).ConfigureAwait(false);
            }
            catch (NetlinkNoDeviceException)
            {
                return $"interface {ifName} in netns {netns} vanished before it was deleted: nothing to remove locally";
            }

            var kind = link.Kind ?? "link";
            return kind == "veth"
                ? $"deleted veth {ifName} (index {link.Index}, mac {FormatMac(link.MacAddress)}) in netns {netns} and with it its host peer"
                : $"deleted {kind} {ifName} (index {link.Index}, mac {FormatMac(link.MacAddress)}) in netns {netns}";
        }
#pragma warning disable CA1031 // A local teardown never fails the DEL: the agent reconciles what is left.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"could not remove {ifName} in netns {netns} locally ({ex.GetType().Name}: {ex.Message}); the agent reconciles when it is back";
        }
        finally
        {
            (runner as IDisposable)?.Dispose();
            ns.Dispose();
        }
    }

    private static string FormatMac(System.Net.NetworkInformation.PhysicalAddress? mac) =>
        mac is null ? "none" : string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
