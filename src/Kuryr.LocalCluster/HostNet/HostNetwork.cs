namespace Kuryr.LocalCluster.HostNet;

/// <summary>
/// The host side of the local cluster: the nested node's "VM NIC" (veth <c>klvm1</c>/<c>klvm1-br</c>,
/// <c>klvm1-br</c> an OVS port of br-int), the pods' network namespaces, and the VLAN probe.
/// </summary>
public sealed class HostNetwork(string ovsDb, string bridge)
{
    public const string VmLink = "klvm1";
    public const string VmLinkPeer = "klvm1-br";

    /// <summary>Prefix of the pods' network namespaces.</summary>
    public const string NetnsPrefix = "kl-";

    private string Db => "--db=" + ovsDb;

    /// <summary>Creates the veth pair, the VM port's MAC on <c>klvm1</c>, both up, <c>klvm1-br</c> on br-int.</summary>
    public async Task CreateVmLinkAsync(string mac)
    {
        await RemoveVmLinkAsync().ConfigureAwait(false);
        await Shell.CheckAsync("ip", "link", "add", VmLink, "address", mac, "type", "veth", "peer", "name", VmLinkPeer).ConfigureAwait(false);
        await Shell.CheckAsync("ip", "link", "set", VmLink, "up").ConfigureAwait(false);
        await Shell.CheckAsync("ip", "link", "set", VmLinkPeer, "up").ConfigureAwait(false);
        await Shell.CheckAsync("ovs-vsctl", Db, "--may-exist", "add-port", bridge, VmLinkPeer).ConfigureAwait(false);
    }

    public async Task RemoveVmLinkAsync()
    {
        await Shell.RunAsync("ovs-vsctl", [Db, "--if-exists", "del-port", bridge, VmLinkPeer]).ConfigureAwait(false);
        await Shell.RunAsync("ip", ["link", "del", VmLink]).ConfigureAwait(false);
    }

    /// <summary>Whether the kernel creates a VLAN link on <c>klvm1</c> (no <c>8021q</c> module: no); the reason when not.</summary>
    public static async Task<(bool Ok, string Reason)> ProbeVlanAsync()
    {
        const string probe = VmLink + ".4093";
        var r = await Shell.RunAsync("ip", ["link", "add", "link", VmLink, "name", probe, "type", "vlan", "id", "4093"]).ConfigureAwait(false);
        if (r.Ok)
        {
            await Shell.RunAsync("ip", ["link", "del", probe]).ConfigureAwait(false);
            return (true, "the kernel created a VLAN link (ip link add ... type vlan)");
        }

        return (false, "the kernel cannot create a VLAN link: " + r.Stderr.Trim());
    }

    public static string NetnsPath(string name) => "/var/run/netns/" + name;

    public static Task CreateNetnsAsync(string name) => Shell.CheckAsync("ip", "netns", "add", name);

    public static async Task DeleteNetnsAsync(string name) => await Shell.RunAsync("ip", ["netns", "del", name]).ConfigureAwait(false);

    /// <summary>Every namespace named <see cref="NetnsPrefix"/>* (leftovers of a run that did not clean up).</summary>
    public static async Task<IReadOnlyList<string>> ListOwnNetnsAsync()
    {
        var r = await Shell.RunAsync("ip", ["netns", "list"]).ConfigureAwait(false);
        return [.. r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0])
            .Where(n => n.StartsWith(NetnsPrefix, StringComparison.Ordinal))];
    }

    /// <summary>One ICMP echo from namespace <paramref name="netns"/> to <paramref name="ip"/>.</summary>
    public static async Task<bool> PingAsync(string netns, string ip, CancellationToken cancellationToken)
    {
        var r = await Shell.RunAsync("ip", ["netns", "exec", netns, "ping", "-c", "1", "-W", "2", ip],
            timeout: TimeSpan.FromSeconds(10), cancellationToken: cancellationToken).ConfigureAwait(false);
        return r.Ok;
    }
}
