using Kuryr.Config.Options;
using Kuryr.Netlink.Rtnl.Model;
using Kuryr.Ovs.Ports;
using Kuryr.Vifs;
using Kuryr.Vifs.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Binding.Drivers;

/// <summary>
/// Kuryr's <c>bridge.BridgeDriver</c> plus what os-vif's <c>ovs</c> hybrid plug did: a Linux bridge
/// <c>qbr&lt;id&gt;</c>, a <c>qvb</c>/<c>qvo</c> veth pair (qvb on qbr, qvo on the OVS bridge with the
/// external ids), and the pod veth whose host end (<c>vif_name</c>) is enslaved to qbr.
/// </summary>
internal sealed partial class HybridBindingDriver(
    IOvsClient ovs,
    IOptions<NeutronDefaultsOptions> neutronDefaults,
    IOptions<VifPluggerOptions> plugger,
    ILogger<HybridBindingDriver> logger) : IBindingDriver
{
    public string Name => "ovs-hybrid";

    public bool CanHandle(VifBase vif) => vif is VifBridge;

    public async Task<int> PlugAsync(BindingSession session, VifTarget target, CancellationToken cancellationToken)
    {
        var names = Names(target);
        await RemoveLinksAsync(session, target, names, cancellationToken).ConfigureAwait(false);

        var host = session.Host;
        await host.CreateBridgeAsync(names.Qbr, new LinkOptions(target.Mtu), cancellationToken).ConfigureAwait(false);
        var qbr = await host.GetLinkAsync(names.Qbr, cancellationToken).ConfigureAwait(false)
            ?? throw new VifBindingException($"bridge {names.Qbr} vanished right after it was created");
        await host.SetLinkUpAsync(qbr.Index, true, cancellationToken).ConfigureAwait(false);

        await host.CreateVethAsync(names.Qvb, names.Qvo, null, new LinkOptions(target.Mtu), new LinkOptions(target.Mtu), cancellationToken).ConfigureAwait(false);
        foreach (string end in new[] { names.Qvb, names.Qvo })
        {
            var link = await host.GetLinkAsync(end, cancellationToken).ConfigureAwait(false)
                ?? throw new VifBindingException($"veth end {end} vanished right after it was created");
            if (end == names.Qvb)
            {
                await host.SetLinkMasterAsync(link.Index, qbr.Index, cancellationToken).ConfigureAwait(false);
            }

            await host.SetLinkUpAsync(link.Index, true, cancellationToken).ConfigureAwait(false);
        }

        await OvsPlumbing.AddOvsPortAsync(ovs, names.OvsBridge, names.Qvo, OvsPlumbing.ExternalIds(target, plugger.Value), target, cancellationToken).ConfigureAwait(false);

        int podIndex = await OvsPlumbing.CreatePodVethAsync(session, target, cancellationToken).ConfigureAwait(false);
        var tap = await host.GetLinkAsync(target.HostName, cancellationToken).ConfigureAwait(false)
            ?? throw new VifBindingException($"veth host end {target.HostName} vanished right after it was created");
        await host.SetLinkMasterAsync(tap.Index, qbr.Index, cancellationToken).ConfigureAwait(false);
        LogPlugged(logger, target.InterfaceName, target.PortId, names.Qbr, names.Qvo, names.OvsBridge);
        return podIndex;
    }

    public async Task UnplugAsync(BindingSession session, VifTarget target, CancellationToken cancellationToken)
    {
        var names = Names(target);
        await OvsPlumbing.DeleteOvsPortAsync(ovs, names.OvsBridge, names.Qvo, cancellationToken).ConfigureAwait(false);
        await RemoveLinksAsync(session, target, names, cancellationToken).ConfigureAwait(false);
        LogUnplugged(logger, target.InterfaceName, target.PortId, names.Qbr);
    }

    public async Task CheckHostSideAsync(BindingSession session, VifTarget target, List<string> problems, CancellationToken cancellationToken)
    {
        var names = Names(target);
        await OvsPlumbing.CheckOvsPortAsync(ovs, names.OvsBridge, names.Qvo, target, problems, cancellationToken).ConfigureAwait(false);
        await OvsPlumbing.CheckHostLinkAsync(session, names.Qbr, null, problems, cancellationToken).ConfigureAwait(false);
        await OvsPlumbing.CheckHostLinkAsync(session, target.HostName, names.Qbr, problems, cancellationToken).ConfigureAwait(false);
        await OvsPlumbing.CheckHostLinkAsync(session, names.Qvb, names.Qbr, problems, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RemoveLinksAsync(BindingSession session, VifTarget target, HybridNames names, CancellationToken cancellationToken)
    {
        if (session.Pod is not null)
        {
            await LinkHelpers.DeleteIfExistsAsync(session.Pod, target.InterfaceName, cancellationToken).ConfigureAwait(false);
        }

        await LinkHelpers.DeleteIfExistsAsync(session.Host, target.HostName, cancellationToken).ConfigureAwait(false);
        await LinkHelpers.DeleteIfExistsAsync(session.Host, names.Qvb, cancellationToken).ConfigureAwait(false);
        await LinkHelpers.DeleteIfExistsAsync(session.Host, names.Qvo, cancellationToken).ConfigureAwait(false);
        await LinkHelpers.DeleteIfExistsAsync(session.Host, names.Qbr, cancellationToken).ConfigureAwait(false);
    }

    private HybridNames Names(VifTarget target)
    {
        var vif = (VifBridge)target.Vif;
        string qbr = vif.BridgeName is { Length: > 0 } b ? b : VifNames.HybridBridge(target.PortId);
        if (qbr.Length > 15)
        {
            throw new VifBindingException($"vifs[{target.InterfaceName}].bridge_name '{qbr}' is longer than 15 characters");
        }

        string ovsBridge = vif.Network?.Bridge is { Length: > 0 } nb ? nb : neutronDefaults.Value.OvsBridge;
        return new HybridNames(qbr, LinkHelpers.HybridName("qvb", target.PortId), LinkHelpers.HybridName("qvo", target.PortId), ovsBridge);
    }

    private sealed record HybridNames(string Qbr, string Qvb, string Qvo, string OvsBridge);

    [LoggerMessage(EventId = 6690, Level = LogLevel.Information, Message = "ovs-hybrid: {Interface} (port {Port}) plugged through {Qbr}, {Qvo} on bridge {Bridge}")]
    private static partial void LogPlugged(ILogger logger, string @interface, string port, string qbr, string qvo, string bridge);

    [LoggerMessage(EventId = 6691, Level = LogLevel.Information, Message = "ovs-hybrid: {Interface} (port {Port}) unplugged, {Qbr} removed")]
    private static partial void LogUnplugged(ILogger logger, string @interface, string port, string qbr);
}
