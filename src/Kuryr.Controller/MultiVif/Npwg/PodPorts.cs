using Kuryr.Config.Options;
using Kuryr.Controller.Handlers;
using Kuryr.Controller.Handlers.KuryrPorts;
using Kuryr.Neutron;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Trunks;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Drivers.Nested;
using Kuryr.Pools.Ownership;
using Kuryr.Pools.State;
using Kuryr.Vifs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.MultiVif.Npwg;

/// <summary>
/// Ports made for ONE pod interface outside the pools (a NAD with a <c>driverType</c>). Each carries
/// the cluster's ownership tags (garbage collection deletes it if the pod goes without the handler
/// releasing it), <c>device_id</c> = pod UID and <c>name</c> = <c>kuryr-NAMESPACE-POD-IFNAME</c>, and is
/// looked up by those before one is created, so a retry finds the port instead of making a second.
/// <c>device_owner</c> is <see cref="DeviceOwner"/>, not <c>compute:kuryr</c>, so pool recovery never
/// adopts such a port into a pool.
/// </summary>
internal sealed partial class PodPorts
{
    /// <summary>device_owner of per-pod multi-VIF ports (a <c>compute:</c> owner, as Neutron expects for instance ports).</summary>
    public const string DeviceOwner = "compute:kuryr:multi-vif";

    private readonly INeutronClient _neutron;
    private readonly IPortOwnership _ownership;
    private readonly IOptions<NeutronDefaultsOptions> _defaults;
    private readonly NodeTrunks _trunks;
    private readonly IVlanReservations _vlans;
    private readonly ILogger<PodPorts> _logger;

    public PodPorts(INeutronClient neutron, IPortOwnership ownership, IOptions<NeutronDefaultsOptions> defaults, NodeTrunks trunks, IVlanReservations vlans, ILogger<PodPorts> logger)
    {
        _neutron = neutron;
        _ownership = ownership;
        _defaults = defaults;
        _trunks = trunks;
        _vlans = vlans;
        _logger = logger;
    }

    /// <summary>Neutron port name of a pod interface's port (Neutron allows 255 characters; ours are at most 63+253+15+8).</summary>
    public static string PortName(string ns, string pod, string interfaceName) => $"kuryr-{ns}-{pod}-{interfaceName}";

    /// <summary>A bare-metal (<c>neutron-vif</c>) port bound to the pod's node, found or created.</summary>
    public async Task<AdditionalVif> EnsureNeutronVifAsync(MultiVifContext context, string interfaceName, SubnetInfo subnet, string network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(subnet);
        var pod = context.Pod;
        var ns = pod.Metadata.Namespace ?? "";
        var podName = pod.Metadata.Name ?? "";
        var uid = pod.Metadata.Uid;
        var node = pod.Spec?.NodeName;
        if (string.IsNullOrEmpty(uid) || string.IsNullOrEmpty(node))
        {
            throw new ResourceNotReadyException($"pod {ns}/{podName} has no uid or spec.nodeName yet: cannot bind a {KuryrDrivers.NeutronVif} port for {interfaceName}");
        }

        var port = await FindOrCreateAsync(context, interfaceName, subnet, network, uid, deviceId: uid, bindingHost: node, cancellationToken).ConfigureAwait(false);

        if (port.BindingVifType is null or "unbound")
        {
            port = await _neutron.GetPortAsync(port.Id, cancellationToken).ConfigureAwait(false);
        }

        var vif = NeutronVifMapper.ToOvsVif(port, subnet.Network, subnet.Subnet, _defaults.Value.OvsBridge, _defaults.Value.NetworkDeviceMtu);
        return new AdditionalVif(interfaceName, VifJson.Serialize(vif),
            new VifSource(VifSourceKinds.Port, port.Id, Driver: KuryrDrivers.NeutronVif, Network: network));
    }

    /// <summary>A nested (<c>nested-vlan</c>) port: a subport of the trunk of the pod's VM (found by
    /// <c>status.hostIP</c> in <c>[pod_vif_nested] worker_nodes_subnets</c>), with a VLAN id reserved in
    /// Redis like the nested pools do. Found or created, then attached if it is not yet.</summary>
    public async Task<AdditionalVif> EnsureNestedVlanAsync(MultiVifContext context, string interfaceName, SubnetInfo subnet, string network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(subnet);
        var pod = context.Pod;
        var ns = pod.Metadata.Namespace ?? "";
        var podName = pod.Metadata.Name ?? "";
        var uid = pod.Metadata.Uid;
        var hostIp = pod.Status?.HostIP;
        if (string.IsNullOrEmpty(uid) || string.IsNullOrEmpty(hostIp))
        {
            throw new ResourceNotReadyException($"pod {ns}/{podName} has no uid or status.hostIP yet: cannot find its VM trunk for {interfaceName}");
        }

        var trunk = await _trunks.ResolveAsync(hostIp, cancellationToken).ConfigureAwait(false);

        // No device_id: Neutron refuses to attach a port that has one (409 PortInUse) and sets
        // device_id/device_owner of a subport itself; the pod UID is in the description.
        var port = await FindOrCreateAsync(context, interfaceName, subnet, network, uid, deviceId: null, bindingHost: null, cancellationToken).ConfigureAwait(false);

        var current = await _neutron.GetTrunkAsync(trunk.TrunkId, cancellationToken).ConfigureAwait(false);
        var attached = current.SubPorts.FirstOrDefault(s => s.PortId == port.Id);
        int vlan;
        if (attached is not null)
        {
            vlan = attached.SegmentationId;
        }
        else
        {
            var reserved = await _vlans.ReserveAsync(trunk.TrunkId, [.. current.SubPorts.Select(s => s.SegmentationId)], 1).ConfigureAwait(false);
            if (reserved.Count == 0)
            {
                throw new InvalidOperationException($"trunk {trunk.TrunkId} of node {hostIp} has no free VLAN id for pod {ns}/{podName} {interfaceName}");
            }

            vlan = reserved[0];
            try
            {
                await _neutron.AddSubportsAsync(trunk.TrunkId, [new SubPort(port.Id, vlan)], cancellationToken).ConfigureAwait(false);
            }
            catch (NeutronException)
            {
                // A VLAN conflict or any failure: the id goes back; the retry reads the trunk again.
                await _vlans.ReleaseAsync(trunk.TrunkId, [vlan]).ConfigureAwait(false);
                throw;
            }

            LogAttached(ns, podName, interfaceName, port.Id, trunk.TrunkId, vlan);
        }

        port = await _neutron.GetPortAsync(port.Id, cancellationToken).ConfigureAwait(false);
        var vif = NeutronVifMapper.ToVlanNestedVif(port, subnet.Network, subnet.Subnet, vlan, _defaults.Value.NetworkDeviceMtu);
        return new AdditionalVif(interfaceName, VifJson.Serialize(vif),
            new VifSource(VifSourceKinds.Port, port.Id, Driver: KuryrDrivers.NestedVlan, TrunkId: trunk.TrunkId, Network: network));
    }

    /// <summary>The pod interface's port: found again when an earlier attempt made it (same name,
    /// our tags, the pod UID in device_id or description), else created with the cluster tags and the
    /// per-pod tag. Always carries the pod UID in its description.</summary>
    private async Task<Port> FindOrCreateAsync(MultiVifContext context, string interfaceName, SubnetInfo subnet, string network, string uid, string? deviceId, string? bindingHost, CancellationToken cancellationToken)
    {
        var ns = context.Pod.Metadata.Namespace ?? "";
        var podName = context.Pod.Metadata.Name ?? "";
        var name = PortName(ns, podName, interfaceName);
        var port = await FindAsync(uid, name, cancellationToken).ConfigureAwait(false);
        if (port is not null && port.NetworkId != subnet.Network.Id)
        {
            throw new InvalidOperationException(
                $"pod {ns}/{podName} {interfaceName}: its port {port.Id} is on network {port.NetworkId}, but the network attachment now asks for subnet {subnet.Subnet.Id} on network {subnet.Network.Id}");
        }

        if (port is not null)
        {
            LogFound(ns, podName, interfaceName, port.Id, network);
            return port;
        }

        port = await _neutron.CreatePortAsync(new PortCreate
        {
            NetworkId = subnet.Network.Id,
            ProjectId = context.Network.ProjectId,
            FixedIps = [new FixedIpRequest { SubnetId = subnet.Subnet.Id }],
            DeviceOwner = DeviceOwner,
            DeviceId = deviceId,
            Description = uid,
            Name = name,
            AdminStateUp = true,
            BindingHostId = bindingHost,
            SecurityGroups = context.Network.SecurityGroups.Ids.Count > 0 ? context.Network.SecurityGroups.Ids : null,
            Tags = [.. _ownership.Tags, PortTags.PerPod],
        }, cancellationToken).ConfigureAwait(false);
        LogCreated(ns, podName, interfaceName, port.Id, network);
        return port;
    }

    /// <summary>Our port for the pod interface, if an earlier attempt made one (the oldest when a
    /// crash left several; the others are ours too and garbage collection takes them once unreferenced).
    /// Matched by name and tags in Neutron, then by the pod UID in device_id or description (a port of
    /// an earlier pod with the same name is not this pod's).</summary>
    private async Task<Port?> FindAsync(string podUid, string name, CancellationToken cancellationToken)
    {
        Port? found = null;
        var filter = new PortFilter { Name = name, Tags = [.. _ownership.Tags] };
        await foreach (var p in _neutron.ListPortsAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            if (p.DeviceId != podUid && p.Description != podUid)
            {
                continue;
            }

            if (found is null || (p.CreatedAt, p.Id).CompareTo((found.CreatedAt, found.Id)) < 0)
            {
                found = p;
            }
        }

        return found;
    }
}
