using Kuryr.Config.Options;
using Kuryr.Controller.Handlers;
using Kuryr.Controller.Handlers.KuryrPorts;
using Kuryr.Controller.MultiVif.Common;
using Kuryr.Neutron;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Vifs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.MultiVif.SpecPorts;

/// <summary>
/// <c>spec_ports</c> (Kuryr's design doc; never in Kuryr's code): the pod annotation <c>spec-ports</c>
/// is a JSON list of ids of ports an operator made beforehand. A <c>normal</c> port of the pod's
/// project that no other device holds is claimed for the pod (<c>device_id</c> = pod UID,
/// <c>device_owner</c> = <see cref="DeviceOwner"/>, <c>binding:host_id</c> = the node), in one
/// update guarded by the port's revision (If-Match), so two pods naming the same port cannot both
/// take it. <c>direct</c> (SR-IOV) ports are refused: Kuryr.Node has no SR-IOV support. Released by
/// clearing only those three fields; never deleted. docs/multi-vif.md.
/// </summary>
internal sealed partial class SpecPortsMultiVifDriver : IMultiVifDriver
{
    public const string DriverName = "spec_ports";

    public const string Annotation = KuryrConstants.SpecPortsAnnotation;

    /// <summary>device_owner of a claimed spec port: a <c>compute:</c> owner that is not <c>compute:kuryr</c>, so pool recovery never adopts it.</summary>
    public const string DeviceOwner = "compute:kuryr:spec-port";

    private readonly INeutronClient _neutron;
    private readonly MultiVifSupport _support;
    private readonly IOptions<NeutronDefaultsOptions> _defaults;
    private readonly ILogger<SpecPortsMultiVifDriver> _logger;

    public SpecPortsMultiVifDriver(INeutronClient neutron, MultiVifSupport support, IOptions<NeutronDefaultsOptions> defaults, ILogger<SpecPortsMultiVifDriver> logger)
    {
        _neutron = neutron;
        _support = support;
        _defaults = defaults;
        _logger = logger;
    }

    public string Name => DriverName;

    public async Task<IReadOnlyList<AdditionalVif>> RequestAdditionalVifsAsync(MultiVifContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pod = context.Pod;
        var entries = await _support.ReadIdListAsync(pod, Annotation, "port", cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return [];
        }

        var uid = pod.Metadata.Uid;
        var node = pod.Spec?.NodeName;
        if (string.IsNullOrEmpty(uid) || string.IsNullOrEmpty(node))
        {
            throw new ResourceNotReadyException($"pod {pod.Metadata.Namespace}/{pod.Metadata.Name} has no uid or spec.nodeName yet: cannot bind its spec ports");
        }

        var names = new InterfaceNames(context);
        var result = new List<AdditionalVif>();
        foreach (var entry in entries)
        {
            if (entry.Value is not { } portId)
            {
                await _support.WarnAsync(pod, Annotation, entry.Text, entry.Problem!, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var (ifname, _) = names.Next(null);
            var (vif, problem) = await ClaimAsync(context, portId, ifname!, uid, node, cancellationToken).ConfigureAwait(false);
            if (vif is null)
            {
                names.Rollback(ifname!);
                await _support.WarnAsync(pod, Annotation, entry.Text, problem!, cancellationToken).ConfigureAwait(false);
                continue;
            }

            names.Commit();
            result.Add(vif);
        }

        return result;
    }

    private async Task<(AdditionalVif? Vif, string? Problem)> ClaimAsync(
        MultiVifContext context, string portId, string ifname, string uid, string node, CancellationToken cancellationToken)
    {
        Port port;
        try
        {
            port = await _neutron.GetPortAsync(portId, cancellationToken).ConfigureAwait(false);
        }
        catch (NeutronNotFoundException)
        {
            return (null, $"port {portId} does not exist in Neutron (or is not visible to the project)");
        }

        var project = port.ProjectId ?? port.TenantId;
        if (!string.Equals(project, context.Network.ProjectId, StringComparison.Ordinal))
        {
            return (null, $"port {portId} belongs to project {project}, not to the pod's project {context.Network.ProjectId}");
        }

        var vnic = string.IsNullOrEmpty(port.BindingVnicType) ? "normal" : port.BindingVnicType;
        if (vnic is "direct" or "direct-physical")
        {
            return (null, $"port {portId} has binding:vnic_type {vnic} (SR-IOV): SR-IOV is not supported by Kuryr.Node");
        }

        if (vnic != "normal")
        {
            return (null, $"port {portId} has binding:vnic_type {vnic}: only normal ports can be used");
        }

        var ours = string.Equals(port.DeviceId, uid, StringComparison.Ordinal);
        if (!ours && !string.IsNullOrEmpty(port.DeviceId))
        {
            return (null, $"port {portId} is in use by device {port.DeviceId} (device_owner {port.DeviceOwner})");
        }

        if (!ours && !string.IsNullOrEmpty(port.DeviceOwner))
        {
            return (null, $"port {portId} has device_owner {port.DeviceOwner}: it belongs to something else");
        }

        if (!ours && !string.IsNullOrEmpty(port.BindingHostId) && port.BindingHostId != node)
        {
            return (null, $"port {portId} is bound to host {port.BindingHostId}, not to the pod's node {node}");
        }

        var subnetId = port.FixedIps.FirstOrDefault(ip => ip.SubnetId is not null && ip.IpAddress is not null)?.SubnetId;
        if (subnetId is null)
        {
            return (null, $"port {portId} has no fixed IP");
        }

        var subnet = await _support.TryGetSubnetAsync(subnetId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"port {portId}: its subnet {subnetId} is not found in Neutron");
        if (!ours || port.BindingHostId != node || port.DeviceOwner != DeviceOwner)
        {
            // If-Match: a concurrent claim (or any change) since the GET fails with 412 and is retried from a fresh read.
            port = await _neutron.UpdatePortAsync(portId, new PortUpdate { DeviceId = uid, DeviceOwner = DeviceOwner, BindingHostId = node }, port.RevisionNumber, cancellationToken).ConfigureAwait(false);
            LogClaimed(context.Pod.Metadata.Namespace ?? "", context.Pod.Metadata.Name ?? "", ifname, portId, node);
        }

        if (port.BindingVifType is null or "unbound")
        {
            port = await _neutron.GetPortAsync(portId, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var vif = NeutronVifMapper.ToOvsVif(port, subnet.Network, subnet.Subnet, _defaults.Value.OvsBridge, _defaults.Value.NetworkDeviceMtu);
            return (new AdditionalVif(ifname, VifJson.Serialize(vif), new VifSource(VifSourceKinds.SpecPort, portId, Driver: KuryrDrivers.NeutronVif)), null);
        }
        catch (PoolDriverException e)
        {
            await UnclaimAsync(portId, cancellationToken).ConfigureAwait(false);
            return (null, $"port {portId} could not be bound on node {node}: {e.Message}");
        }
    }

    private async Task UnclaimAsync(string portId, CancellationToken cancellationToken)
    {
        await _neutron.UpdatePortAsync(portId, new PortUpdate { DeviceId = "", DeviceOwner = "", BindingHostId = "" }, null, cancellationToken).ConfigureAwait(false);
        LogUnclaimed(portId);
    }
}
