using Kuryr.Netlink.Rtnl;
using Kuryr.Netlink.Rtnl.Errors;

namespace Kuryr.Agent.Binding.Drivers;

internal static class LinkHelpers
{
    /// <summary>Deletes the link called <paramref name="name"/> when it exists; true when one was deleted.</summary>
    public static async Task<bool> DeleteIfExistsAsync(IRtNetlink client, string name, CancellationToken cancellationToken)
    {
        var link = await client.GetLinkAsync(name, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            return false;
        }

        try
        {
            await client.DeleteLinkAsync(link.Index, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NetlinkNoDeviceException)
        {
            return false; // went away meanwhile (a veth deleted with its peer)
        }
    }

    /// <summary>os-vif hybrid names: prefix + port id, cut to 14 characters.</summary>
    public static string HybridName(string prefix, string portId)
    {
        string name = prefix + portId;
        return name.Length <= 14 ? name : name[..14];
    }
}
