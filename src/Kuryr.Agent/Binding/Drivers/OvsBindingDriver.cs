using Kuryr.Config.Options;
using Kuryr.Netlink.Rtnl.Model;
using Kuryr.Ovs.Ovsdb;
using Kuryr.Ovs.Ports;
using Kuryr.Vifs.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Binding.Drivers;

/// <summary>
/// Kuryr's <c>bridge.VIFOpenVSwitchDriver</c>: a veth whose pod end is created directly in the pod
/// namespace (ifname, MTU, MAC) and whose host end (<c>vif_name</c>) is added to the OVS bridge with
/// external_ids iface-id / iface-status=active / attached-mac / vm-uuid, over OVSDB.
/// </summary>
internal sealed partial class OvsBindingDriver(
    IOvsClient ovs,
    IOptions<NeutronDefaultsOptions> neutronDefaults,
    IOptions<VifPluggerOptions> plugger,
    ILogger<OvsBindingDriver> logger) : IBindingDriver, IOrphanUnplugger
{
    public string Name => "ovs";

    public bool CanHandle(VifBase vif) => vif is VifOpenVSwitch;

    public async Task<int> PlugAsync(BindingSession session, VifTarget target, CancellationToken cancellationToken)
    {
        string bridge = Bridge(target);
        var pod = session.Pod!;
        await LinkHelpers.DeleteIfExistsAsync(pod, target.InterfaceName, cancellationToken).ConfigureAwait(false);
        await LinkHelpers.DeleteIfExistsAsync(session.Host, target.HostName, cancellationToken).ConfigureAwait(false);

        int podIndex = await OvsPlumbing.CreatePodVethAsync(session, target, cancellationToken).ConfigureAwait(false);
        await OvsPlumbing.AddOvsPortAsync(ovs, bridge, target.HostName, OvsPlumbing.ExternalIds(target, plugger.Value), target, cancellationToken).ConfigureAwait(false);
        LogPlugged(logger, target.InterfaceName, target.PortId, target.HostName, bridge);
        return podIndex;
    }

    public async Task UnplugAsync(BindingSession session, VifTarget target, CancellationToken cancellationToken)
    {
        string bridge = Bridge(target);
        bool removed = await OvsPlumbing.DeleteOvsPortAsync(ovs, bridge, target.HostName, cancellationToken).ConfigureAwait(false);
        await LinkHelpers.DeleteIfExistsAsync(session.Host, target.HostName, cancellationToken).ConfigureAwait(false);
        if (session.Pod is not null)
        {
            await LinkHelpers.DeleteIfExistsAsync(session.Pod, target.InterfaceName, cancellationToken).ConfigureAwait(false);
        }

        LogUnplugged(logger, target.InterfaceName, target.PortId, target.HostName, bridge, removed);
    }

    public async Task CheckHostSideAsync(BindingSession session, VifTarget target, List<string> problems, CancellationToken cancellationToken)
    {
        await OvsPlumbing.CheckOvsPortAsync(ovs, Bridge(target), target.HostName, target, problems, cancellationToken).ConfigureAwait(false);
        await OvsPlumbing.CheckHostLinkAsync(session, target.HostName, null, problems, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An unplug without VIFs: the pod interface's veth peer on the host names the OVS port (directly, or qvo of its qbr bridge).</summary>
    public async Task UnplugUnknownAsync(BindingSession session, string podInterfaceName, CancellationToken cancellationToken)
    {
        if (session.Pod is null)
        {
            return;
        }

        var podLink = await session.Pod.GetLinkAsync(podInterfaceName, cancellationToken).ConfigureAwait(false);
        if (podLink is not { Kind: "veth", ParentIndex: int peerIndex, LinkNetnsId: not null })
        {
            return;
        }

        LinkInfo? hostEnd = await session.Host.GetLinkAsync(peerIndex, cancellationToken).ConfigureAwait(false);
        if (hostEnd is null || hostEnd.Kind != "veth" || hostEnd.ParentIndex != podLink.Index)
        {
            return;
        }

        string ovsPort = hostEnd.Name;
        LinkInfo? master = hostEnd.MasterIndex is int m ? await session.Host.GetLinkAsync(m, cancellationToken).ConfigureAwait(false) : null;
        if (master is not null && master.Name.StartsWith("qbr", StringComparison.Ordinal))
        {
            string suffix = master.Name[3..];
            ovsPort = "qvo" + suffix;
            await LinkHelpers.DeleteIfExistsAsync(session.Host, "qvb" + suffix, cancellationToken).ConfigureAwait(false);
        }

        var port = await ovs.GetPortAsync(ovsPort, cancellationToken).ConfigureAwait(false);
        if (port?.Bridge is not null)
        {
            await ovs.DeletePortAsync(port.Bridge, ovsPort, cancellationToken).ConfigureAwait(false);
        }

        await LinkHelpers.DeleteIfExistsAsync(session.Host, hostEnd.Name, cancellationToken).ConfigureAwait(false);
        if (master is not null && master.Name.StartsWith("qbr", StringComparison.Ordinal))
        {
            await LinkHelpers.DeleteIfExistsAsync(session.Host, master.Name, cancellationToken).ConfigureAwait(false);
        }

        LogOrphanUnplugged(logger, podInterfaceName, hostEnd.Name, ovsPort);
    }

    private string Bridge(VifTarget target)
        => ((VifWithBridge)target.Vif).BridgeName is { Length: > 0 } b ? b : neutronDefaults.Value.OvsBridge;

    [LoggerMessage(EventId = 6680, Level = LogLevel.Information, Message = "ovs: {Interface} (port {Port}) plugged, host end {HostEnd} on bridge {Bridge}")]
    private static partial void LogPlugged(ILogger logger, string @interface, string port, string hostEnd, string bridge);

    [LoggerMessage(EventId = 6681, Level = LogLevel.Information, Message = "ovs: {Interface} (port {Port}) unplugged, host end {HostEnd} off bridge {Bridge} (OVS port removed: {Removed})")]
    private static partial void LogUnplugged(ILogger logger, string @interface, string port, string hostEnd, string bridge, bool removed);

    [LoggerMessage(EventId = 6682, Level = LogLevel.Information, Message = "ovs: {Interface} of an unknown VIF unplugged through its host end {HostEnd} (OVS port {OvsPort})")]
    private static partial void LogOrphanUnplugged(ILogger logger, string @interface, string hostEnd, string ovsPort);
}

/// <summary>Pieces the OVS and OVS-hybrid drivers share.</summary>
internal static class OvsPlumbing
{
    /// <summary>Kuryr's literal vm-uuid.</summary>
    public const string KuryrVmUuid = "kuryr";

    public static IReadOnlyDictionary<string, string> ExternalIds(VifTarget target, VifPluggerOptions options)
        => OvsExternalIds.ForVif(target.PortId, target.MacText, options.PodUidAsVmUuid && !string.IsNullOrWhiteSpace(target.PodUid) ? target.PodUid : KuryrVmUuid);

    /// <summary>veth: host end <see cref="VifTarget.HostName"/> here, pod end created in the pod namespace with MTU and MAC; both up. Returns the pod end's ifindex.</summary>
    public static async Task<int> CreatePodVethAsync(BindingSession session, VifTarget target, CancellationToken cancellationToken)
    {
        var pod = session.Pod!;
        await session.Host.CreateVethAsync(target.HostName, target.InterfaceName, session.PodNamespace, new LinkOptions(target.Mtu), new LinkOptions(target.Mtu, target.Mac), cancellationToken).ConfigureAwait(false);
        var hostEnd = await session.Host.GetLinkAsync(target.HostName, cancellationToken).ConfigureAwait(false)
            ?? throw new VifBindingException($"veth host end {target.HostName} vanished right after it was created");
        await session.Host.SetLinkUpAsync(hostEnd.Index, true, cancellationToken).ConfigureAwait(false);
        var podEnd = await pod.GetLinkAsync(target.InterfaceName, cancellationToken).ConfigureAwait(false)
            ?? throw new VifBindingException($"veth pod end {target.InterfaceName} is not in {session.NetnsPath} after it was created");
        await pod.SetLinkUpAsync(podEnd.Index, true, cancellationToken).ConfigureAwait(false);
        return podEnd.Index;
    }

    public static async Task AddOvsPortAsync(IOvsClient ovs, string bridge, string portName, IReadOnlyDictionary<string, string> externalIds, VifTarget target, CancellationToken cancellationToken)
    {
        try
        {
            await ovs.AddPortAsync(bridge, portName, externalIds, cancellationToken).ConfigureAwait(false);
        }
        catch (OvsBridgeNotFoundException ex)
        {
            throw new VifBindingException($"OVS bridge {bridge} (vifs[{target.InterfaceName}].bridge_name or [neutron_defaults] ovs_bridge) does not exist; cannot add {portName} for port {target.PortId}", ex);
        }
        catch (OvsdbException ex)
        {
            throw new VifBindingException($"Adding {portName} (port {target.PortId}) to OVS bridge {bridge} failed: {ex.Message}", ex);
        }
    }

    /// <summary>del-port that treats a missing bridge as nothing to delete (an unplug after a failed plug into it).</summary>
    public static async Task<bool> DeleteOvsPortAsync(IOvsClient ovs, string bridge, string portName, CancellationToken cancellationToken)
    {
        try
        {
            return await ovs.DeletePortAsync(bridge, portName, cancellationToken).ConfigureAwait(false);
        }
        catch (OvsBridgeNotFoundException)
        {
            return false;
        }
    }

    public static async Task CheckOvsPortAsync(IOvsClient ovs, string bridge, string portName, VifTarget target, List<string> problems, CancellationToken cancellationToken)
    {
        var port = await ovs.GetPortAsync(portName, cancellationToken).ConfigureAwait(false);
        if (port is null)
        {
            problems.Add($"{target.InterfaceName}: OVS port {portName} is missing (bridge {bridge})");
            return;
        }

        if (port.Bridge != bridge)
        {
            problems.Add($"{target.InterfaceName}: OVS port {portName} is on bridge {port.Bridge ?? "(none)"}, expected {bridge}");
        }

        if (!port.ExternalIds.TryGetValue(OvsExternalIds.IfaceId, out var ifaceId) || ifaceId != target.PortId)
        {
            problems.Add($"{target.InterfaceName}: OVS port {portName} has iface-id {ifaceId ?? "(none)"}, expected {target.PortId}");
        }

        if (!string.IsNullOrEmpty(port.Error))
        {
            problems.Add($"{target.InterfaceName}: OVS interface {portName} has error '{port.Error}'");
        }
    }

    public static async Task CheckHostLinkAsync(BindingSession session, string name, string? expectedMaster, List<string> problems, CancellationToken cancellationToken)
    {
        var link = await session.Host.GetLinkAsync(name, cancellationToken).ConfigureAwait(false);
        if (link is null)
        {
            problems.Add($"host interface {name} is missing");
            return;
        }

        if (!link.IsUp)
        {
            problems.Add($"host interface {name} is down");
        }

        if (expectedMaster is not null)
        {
            var master = link.MasterIndex is int m ? await session.Host.GetLinkAsync(m, cancellationToken).ConfigureAwait(false) : null;
            if (master?.Name != expectedMaster)
            {
                problems.Add($"host interface {name} is enslaved to {master?.Name ?? "nothing"}, expected {expectedMaster}");
            }
        }
    }
}
