using Kuryr.Agent.Binding.Drivers;
using Kuryr.Config.Options;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl;
using Kuryr.Netlink.Rtnl.Errors;
using Kuryr.Ovs.Ovsdb;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Binding;

/// <summary>
/// Picks the binding driver by VIF class, plugs each VIF (driver: link + host side; then L3), and on
/// any failure removes what this request made so a retry starts clean.
/// </summary>
internal sealed partial class VifPlugger(
    IEnumerable<IBindingDriver> drivers,
    IRtNetlinkFactory netlink,
    INetnsRunner runner,
    IOptions<NeutronDefaultsOptions> neutronDefaults,
    ILogger<VifPlugger> logger) : IVifPlugger
{
    private readonly IBindingDriver[] _drivers = [.. drivers];

    public async Task<IReadOnlyList<PluggedInterface>> PlugAsync(PlugRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Vifs.Count == 0)
        {
            throw new VifBindingException($"Pod {request.PodNamespace}/{request.PodName}: vifs is empty, nothing to plug");
        }

        var targets = Targets(request.Vifs, request.DefaultInterfaceName, request.PodUid);
        foreach (var t in targets)
        {
            L3Configurator.Plan(t.Target); // bad addresses fail before anything is touched
        }

        using var session = await OpenAsync(request.NetnsPath, required: true, cancellationToken).ConfigureAwait(false);
        var plugged = new List<PluggedInterface>(targets.Count);
        var hostEnds = new List<PluggedInterface>(targets.Count);
        var done = new List<(IBindingDriver Driver, VifTarget Target)>();
        try
        {
            foreach (var (driver, target) in targets)
            {
                done.Add((driver, target));
                int ifindex = await driver.PlugAsync(session, target, cancellationToken).ConfigureAwait(false);
                await L3Configurator.ApplyAsync(runner, session, ifindex, target, logger, cancellationToken).ConfigureAwait(false);
                plugged.Add(new PluggedInterface(target.InterfaceName, target.MacText, request.NetnsPath));
                if (await HostPeerAsync(session, ifindex, cancellationToken).ConfigureAwait(false) is { } hostEnd)
                {
                    hostEnds.Add(hostEnd);
                }

                LogPlugged(logger, request.PodNamespace, request.PodName, target.InterfaceName, target.PortId, driver.Name);
            }
        }
        catch (Exception ex)
        {
            LogPlugFailed(logger, ex, request.PodNamespace, request.PodName, request.NetnsPath);
            foreach (var (driver, target) in done)
            {
                try
                {
                    await driver.UnplugAsync(session, target, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception cleanup) when (cleanup is NetlinkException or VifBindingException or OvsdbException or IOException or TimeoutException)
                {
                    LogCleanupFailed(logger, cleanup, target.InterfaceName, target.PortId);
                }
            }

            if (ex is NetlinkException or IOException or UnauthorizedAccessException)
            {
                throw new VifBindingException($"Plugging pod {request.PodNamespace}/{request.PodName} into {request.NetnsPath} failed: {ex.Message}", ex);
            }

            throw;
        }

        // Host ends after the pod interfaces: the result's ips[].interface indexes the pod interfaces.
        plugged.AddRange(hostEnds);
        return plugged;
    }

    public async Task UnplugAsync(UnplugRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var session = await OpenAsync(request.NetnsPath, required: false, cancellationToken).ConfigureAwait(false);
        if (request.Vifs.Count == 0)
        {
            foreach (var driver in _drivers.OfType<IOrphanUnplugger>())
            {
                await driver.UnplugUnknownAsync(session, request.DefaultInterfaceName, cancellationToken).ConfigureAwait(false);
            }

            if (session.Pod is not null)
            {
                await LinkHelpers.DeleteIfExistsAsync(session.Pod, request.DefaultInterfaceName, cancellationToken).ConfigureAwait(false);
            }

            LogUnplugged(logger, request.ContainerId, request.DefaultInterfaceName, "unknown", "none");
            return;
        }

        foreach (var podVif in request.Vifs)
        {
            VifTarget target;
            IBindingDriver driver;
            try
            {
                target = VifTarget.From(podVif, request.DefaultInterfaceName, neutronDefaults.Value.NetworkDeviceMtu, string.Empty);
                driver = DriverFor(podVif);
            }
            catch (VifBindingException ex)
            {
                // The VIF data is unusable: still take the pod interface out.
                LogBadVifOnUnplug(logger, ex, request.ContainerId, podVif.InterfaceName);
                if (session.Pod is not null)
                {
                    await LinkHelpers.DeleteIfExistsAsync(session.Pod, podVif.Default ? request.DefaultInterfaceName : podVif.InterfaceName, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            await driver.UnplugAsync(session, target, cancellationToken).ConfigureAwait(false);
            LogUnplugged(logger, request.ContainerId, target.InterfaceName, target.PortId, driver.Name);
        }
    }

    public async Task<IReadOnlyList<string>> CheckAsync(PlugRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        var targets = Targets(request.Vifs, request.DefaultInterfaceName, request.PodUid);
        using var session = await OpenAsync(request.NetnsPath, required: false, cancellationToken).ConfigureAwait(false);
        foreach (var (driver, target) in targets)
        {
            if (session.Pod is not null)
            {
                var link = await session.Pod.GetLinkAsync(target.InterfaceName, cancellationToken).ConfigureAwait(false);
                if (link is null)
                {
                    problems.Add($"{target.InterfaceName}: interface is missing in {request.NetnsPath}");
                }
                else
                {
                    // CHECK validates against prevResult (CNI spec): a chained plugin (tuning "mac") may have changed the MAC.
                    string expectedMac = request.ExpectedMacs is { } macs && macs.TryGetValue(target.InterfaceName, out var prevMac) && !string.IsNullOrEmpty(prevMac)
                        ? prevMac
                        : target.MacText;
                    if (!string.Equals(Mac(link.MacAddress), expectedMac, StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add($"{target.InterfaceName}: MAC is {Mac(link.MacAddress)}, expected {expectedMac}");
                    }

                    if (target.Mtu is int mtu && link.Mtu != mtu)
                    {
                        problems.Add($"{target.InterfaceName}: MTU is {link.Mtu}, expected {mtu}");
                    }

                    if (!link.IsUp)
                    {
                        problems.Add($"{target.InterfaceName}: interface is down");
                    }

                    await L3Configurator.CheckAsync(session.Pod, link.Index, target, problems, cancellationToken).ConfigureAwait(false);
                }
            }

            await driver.CheckHostSideAsync(session, target, problems, cancellationToken).ConfigureAwait(false);
        }

        if (session.Pod is null)
        {
            problems.Insert(0, $"network namespace {request.NetnsPath} does not exist");
        }

        return problems;
    }

    /// <summary>The host end of the pod interface <paramref name="podIndex"/> when it is a veth whose peer is in the host namespace (OVS: the tap; hybrid: the tap on qbr); null for macvlan/VLAN.</summary>
    private static async Task<PluggedInterface?> HostPeerAsync(BindingSession session, int podIndex, CancellationToken cancellationToken)
    {
        var podLink = await session.Pod!.GetLinkAsync(podIndex, cancellationToken).ConfigureAwait(false);
        if (podLink is not { Kind: "veth", ParentIndex: int peerIndex, LinkNetnsId: not null })
        {
            return null;
        }

        var hostEnd = await session.Host.GetLinkAsync(peerIndex, cancellationToken).ConfigureAwait(false);
        if (hostEnd is null || hostEnd.Kind != "veth" || hostEnd.ParentIndex != podLink.Index)
        {
            return null;
        }

        return new PluggedInterface(hostEnd.Name, Mac(hostEnd.MacAddress), string.Empty);
    }

    private static string Mac(System.Net.NetworkInformation.PhysicalAddress? mac)
        => mac is null ? "none" : string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private List<(IBindingDriver Driver, VifTarget Target)> Targets(IReadOnlyList<PodVif> vifs, string defaultInterfaceName, string podUid)
    {
        var result = new List<(IBindingDriver, VifTarget)>(vifs.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var podVif in vifs)
        {
            var target = VifTarget.From(podVif, defaultInterfaceName, neutronDefaults.Value.NetworkDeviceMtu, podUid);
            if (!names.Add(target.InterfaceName))
            {
                throw new VifBindingException($"vifs[{podVif.InterfaceName}]: interface name {target.InterfaceName} is used twice in the pod");
            }

            result.Add((DriverFor(podVif), target));
        }

        return result;
    }

    private IBindingDriver DriverFor(PodVif podVif)
        => _drivers.FirstOrDefault(d => d.CanHandle(podVif.Vif))
        ?? throw new VifBindingException($"vifs[{podVif.InterfaceName}]: no binding driver for VIF class {podVif.Vif?.ObjectName ?? "(none)"} (supported: {string.Join(", ", _drivers.Select(d => d.Name))})");

    private async Task<BindingSession> OpenAsync(string? netnsPath, bool required, CancellationToken cancellationToken)
    {
        NetworkNamespace? ns = null;
        if (!string.IsNullOrEmpty(netnsPath))
        {
            try
            {
                ns = NetworkNamespace.Open(netnsPath);
            }
            catch (NetworkNamespaceException ex)
            {
                if (required)
                {
                    throw new VifBindingException($"CNI_NETNS {netnsPath} cannot be opened as a network namespace: {ex.Message}", ex);
                }
            }
        }
        else if (required)
        {
            throw new VifBindingException("CNI_NETNS is empty: no network namespace to plug into");
        }

        IRtNetlink? pod = null;
        try
        {
            if (ns is not null)
            {
                pod = await netlink.OpenAsync(ns, cancellationToken).ConfigureAwait(false);
            }

            var host = await netlink.OpenHostAsync(cancellationToken).ConfigureAwait(false);
            return new BindingSession(host, pod, ns, netnsPath);
        }
        catch
        {
            pod?.Dispose();
            ns?.Dispose();
            throw;
        }
    }
}
