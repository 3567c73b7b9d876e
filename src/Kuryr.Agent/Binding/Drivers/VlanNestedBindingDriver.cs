using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl;
using Kuryr.Netlink.Rtnl.Errors;
using Kuryr.Netlink.Rtnl.Model;
using Kuryr.Vifs.Model;
using Microsoft.Extensions.Logging;

namespace Kuryr.Agent.Binding.Drivers;

/// <summary>
/// Kuryr's <c>nested.VlanDriver</c>: an 802.1Q subinterface (<c>vlan_id</c> of the trunk subport) of the
/// VM's parent interface. On EEXIST (a stale namespace still holds that VLAN id on the parent) every
/// namespace is scanned (<c>/var/run/netns/*</c>, <c>/proc/*/ns/net</c>), the stale link is removed,
/// and the create is retried once.
/// </summary>
internal sealed partial class VlanNestedBindingDriver(NestedParentResolver parents, IRtNetlinkFactory factory, ILogger<VlanNestedBindingDriver> logger)
    : NestedBindingDriver(parents, logger)
{
    /// <summary>Where the stale-VLAN scan looks; tests point it elsewhere.</summary>
    internal Func<IEnumerable<string>> NamespacePaths { get; set; } = DefaultNamespacePaths;

    public override string Name => "vlan";

    public override bool CanHandle(VifBase vif) => vif is VifVlanNested;

    protected override async Task CreateAsync(BindingSession session, VifTarget target, LinkInfo parent, LinkOptions options, CancellationToken cancellationToken)
    {
        var vif = (VifVlanNested)target.Vif;
        if (vif.VlanId is not int vlanId || vlanId is < 1 or > 4094)
        {
            throw new VifBindingException($"vifs[{target.InterfaceName}].vlan_id '{vif.VlanId}' is not a VLAN id (1-4094)");
        }

        try
        {
            await session.Host.CreateVlanAsync(target.InterfaceName, parent.Index, vlanId, session.PodNamespace, options, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkAlreadyExistsException ex)
        {
            LogVlanInUse(Logger, vlanId, parent.Name, target.PortId);
            int removed = await RemoveStaleVlansAsync(session, parent, vlanId, cancellationToken).ConfigureAwait(false);
            if (removed == 0)
            {
                throw new VifBindingException(
                    $"vlan: VLAN {vlanId} on {parent.Name} (port {target.PortId}) already exists and no namespace holds a link with that id to remove", ex);
            }

            await session.Host.CreateVlanAsync(target.InterfaceName, parent.Index, vlanId, session.PodNamespace, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> RemoveStaleVlansAsync(BindingSession session, LinkInfo parent, int vlanId, CancellationToken cancellationToken)
    {
        int removed = 0;
        ulong hostId = NetworkNamespace.CurrentThreadId();
        var seen = new HashSet<ulong>();
        foreach (string path in NamespacePaths())
        {
            NetworkNamespace ns;
            try
            {
                ns = NetworkNamespace.Open(path);
            }
            catch (NetworkNamespaceException)
            {
                continue; // the process exited or the file is not a namespace
            }

            using (ns)
            {
                if (!seen.Add(ns.Id))
                {
                    continue;
                }

                bool isHost = ns.Id == hostId;
                using IRtNetlink client = isHost ? await factory.OpenHostAsync(cancellationToken).ConfigureAwait(false) : await factory.OpenAsync(ns, cancellationToken).ConfigureAwait(false);
                foreach (var link in await client.ListLinksAsync(cancellationToken).ConfigureAwait(false))
                {
                    // A VLAN whose parent is the host's parent: here (no netns id) only in the host namespace, elsewhere through IFLA_LINK_NETNSID.
                    if (link.Kind == "vlan" && link.VlanId == vlanId && link.ParentIndex == parent.Index && (isHost ? link.LinkNetnsId is null : link.LinkNetnsId is not null))
                    {
                        try
                        {
                            await client.DeleteLinkAsync(link.Index, cancellationToken).ConfigureAwait(false);
                            removed++;
                            LogStaleVlanRemoved(Logger, link.Name, vlanId, parent.Name, path);
                        }
                        catch (NetlinkNoDeviceException)
                        {
                            // gone meanwhile
                        }
                    }
                }
            }
        }

        return removed;
    }

    private static IEnumerable<string> DefaultNamespacePaths()
    {
        if (Directory.Exists(NetworkNamespace.NamedRoot))
        {
            foreach (string f in Directory.EnumerateFiles(NetworkNamespace.NamedRoot))
            {
                yield return f;
            }
        }

        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out _))
            {
                yield return Path.Combine(dir, "ns", "net");
            }
        }
    }

    [LoggerMessage(EventId = 6670, Level = LogLevel.Warning, Message = "VLAN {VlanId} on {Parent} (port {Port}) already exists; scanning namespaces for a stale link")]
    private static partial void LogVlanInUse(ILogger logger, int vlanId, string parent, string port);

    [LoggerMessage(EventId = 6671, Level = LogLevel.Warning, Message = "Removed stale VLAN link {Link} (VLAN {VlanId} on {Parent}) from {Namespace}")]
    private static partial void LogStaleVlanRemoved(ILogger logger, string link, int vlanId, string parent, string @namespace);
}
