using Kuryr.Netlink.Rtnl.Errors;
using Kuryr.Netlink.Rtnl.Model;
using Kuryr.Vifs.Model;
using Microsoft.Extensions.Logging;

namespace Kuryr.Agent.Binding.Drivers;

/// <summary>
/// What the nested VLAN and macvlan drivers share (Kuryr's <c>nested.NestedDriver</c>): parent lookup,
/// the parent-MTU check (bug 1863212), leftovers removed (<c>vif_name</c> and the ifname in the pod,
/// <c>vif_name</c> on the host), the link created on the parent directly inside the pod namespace with
/// its final name, MTU and MAC, then brought up. A failure leaves nothing behind.
/// </summary>
internal abstract partial class NestedBindingDriver(NestedParentResolver parents, ILogger logger) : IBindingDriver
{
    public abstract string Name { get; }

    protected ILogger Logger { get; } = logger;

    public abstract bool CanHandle(VifBase vif);

    public async Task<int> PlugAsync(BindingSession session, VifTarget target, CancellationToken cancellationToken)
    {
        var parent = await parents.ResolveAsync(session.Host, cancellationToken).ConfigureAwait(false);
        if (target.Mtu is int mtu && parent.Mtu < mtu)
        {
            throw new VifBindingException(
                $"Parent interface {parent.Name} has MTU {parent.Mtu}, smaller than the MTU {mtu} of network {target.Vif.Network?.Id} (port {target.PortId}); raise the parent MTU or lower the network's");
        }

        await RemoveAsync(session, target, cancellationToken).ConfigureAwait(false);
        var options = new LinkOptions(target.Mtu, target.Mac);
        try
        {
            await CreateAsync(session, target, parent, options, cancellationToken).ConfigureAwait(false);
            var pod = session.Pod!;
            var link = await pod.GetLinkAsync(target.InterfaceName, cancellationToken).ConfigureAwait(false)
                ?? throw new VifBindingException($"{Name}: {target.InterfaceName} was created on {parent.Name} but is not in {session.NetnsPath}");
            await pod.SetLinkUpAsync(link.Index, true, cancellationToken).ConfigureAwait(false);
            LogPlugged(Logger, Name, target.InterfaceName, target.PortId, parent.Name, session.NetnsPath ?? string.Empty);
            return link.Index;
        }
        catch (Exception ex) when (ex is NetlinkException or VifBindingException)
        {
            await RemoveAsync(session, target, CancellationToken.None).ConfigureAwait(false);
            throw ex is VifBindingException ? ex : new VifBindingException(
                $"{Name}: creating {target.InterfaceName} (port {target.PortId}) on parent {parent.Name} in {session.NetnsPath} failed: {ex.Message}", ex);
        }
    }

    public Task UnplugAsync(BindingSession session, VifTarget target, CancellationToken cancellationToken) => RemoveAsync(session, target, cancellationToken);

    public Task CheckHostSideAsync(BindingSession session, VifTarget target, List<string> problems, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates the link on <paramref name="parent"/> inside the pod namespace, named <see cref="VifTarget.InterfaceName"/>.</summary>
    protected abstract Task CreateAsync(BindingSession session, VifTarget target, LinkInfo parent, LinkOptions options, CancellationToken cancellationToken);

    private static async Task RemoveAsync(BindingSession session, VifTarget target, CancellationToken cancellationToken)
    {
        if (session.Pod is not null)
        {
            await LinkHelpers.DeleteIfExistsAsync(session.Pod, target.InterfaceName, cancellationToken).ConfigureAwait(false);
            await LinkHelpers.DeleteIfExistsAsync(session.Pod, target.HostName, cancellationToken).ConfigureAwait(false);
        }

        await LinkHelpers.DeleteIfExistsAsync(session.Host, target.HostName, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 6650, Level = LogLevel.Information, Message = "{Driver}: plugged {Interface} (port {Port}) on parent {Parent} into {Netns}")]
    private static partial void LogPlugged(ILogger logger, string driver, string @interface, string port, string parent, string netns);
}

/// <summary>Kuryr's <c>nested.MacvlanDriver</c>: a bridge-mode macvlan on the VM interface.</summary>
internal sealed class MacvlanNestedBindingDriver(NestedParentResolver parents, ILogger<MacvlanNestedBindingDriver> logger) : NestedBindingDriver(parents, logger)
{
    public override string Name => "macvlan";

    public override bool CanHandle(VifBase vif) => vif is VifMacvlanNested;

    protected override Task CreateAsync(BindingSession session, VifTarget target, LinkInfo parent, LinkOptions options, CancellationToken cancellationToken)
        => session.Host.CreateMacvlanAsync(target.InterfaceName, parent.Index, MacvlanMode.Bridge, session.PodNamespace, options, cancellationToken);
}
