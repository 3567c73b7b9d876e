using System.Runtime.CompilerServices;
using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Ports;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Ownership;
using Kuryr.Pools.State;
using Kuryr.Vifs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Drivers.Neutron;

/// <summary>
/// Kuryr's <c>neutron</c> pool driver (bare metal, pod_vif_driver <c>neutron-vif</c>): ports bound
/// to the node (<c>binding:host_id</c>), <c>device_owner=compute:kuryr</c>, tagged with the
/// cluster's ownership tags in the bulk create. Pool host = the node name.
/// </summary>
internal sealed partial class NeutronPoolDriver : IPoolDriver
{
    public const string DriverName = "neutron";
    public const string VifDriverName = "neutron-vif";
    public const string KuryrDeviceOwner = PoolPorts.KuryrDeviceOwner;
    public const string PoolPortName = PoolPorts.PoolPortName;

    private readonly INeutronClient _neutron;
    private readonly ISubnetCache _subnets;
    private readonly IPortOwnership _ownership;
    private readonly IOptions<NeutronDefaultsOptions> _defaults;
    private readonly IOptions<KubernetesOptions> _kubernetes;
    private readonly ILogger<NeutronPoolDriver> _logger;

    public NeutronPoolDriver(
        INeutronClient neutron,
        ISubnetCache subnets,
        IPortOwnership ownership,
        IOptions<NeutronDefaultsOptions> defaults,
        IOptions<KubernetesOptions> kubernetes,
        ILogger<NeutronPoolDriver> logger)
    {
        _neutron = neutron;
        _subnets = subnets;
        _ownership = ownership;
        _defaults = defaults;
        _kubernetes = kubernetes;
        _logger = logger;
    }

    public string Name => DriverName;

    public string PodVifDriver => VifDriverName;

    public bool Pooled => true;

    public PoolKey PoolFor(PodVifRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.NodeName))
        {
            throw new PoolDriverException($"pod {request.Namespace}/{request.PodName}: spec.nodeName is empty (the neutron pool driver keys pools by node)");
        }

        return new PoolKey(request.NodeName, request.ProjectId, request.NetworkId);
    }

    public async Task<IReadOnlyList<PooledPort>> CreatePortsAsync(PoolTarget target, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var info = await _subnets.GetAsync(target.SubnetId, cancellationToken).ConfigureAwait(false);
        if (info.Network.Id != target.Pool.NetworkId)
        {
            throw new PoolDriverException($"pool {target.Pool.Id}: subnet {target.SubnetId} is on network {info.Network.Id}, not {target.Pool.NetworkId}");
        }

        var request = new PortCreate
        {
            ProjectId = target.Pool.ProjectId,
            NetworkId = target.Pool.NetworkId,
            FixedIps = [new FixedIpRequest { SubnetId = target.SubnetId }],
            DeviceOwner = KuryrDeviceOwner,
            AdminStateUp = true,
            BindingHostId = target.Pool.Host,
            SecurityGroups = target.SecurityGroups.Ids.Count > 0 ? target.SecurityGroups.Ids : null,
            Tags = _ownership.Tags,
            Name = _kubernetes.Value.PortDebug ? PoolPortName : null,
        };
        var created = await _neutron.CreatePortsAsync(Enumerable.Repeat(request, count).ToList(), cancellationToken).ConfigureAwait(false);
        try
        {
            var first = created[0];
            if (first.BindingVifType is null or "unbound")
            {
                // Neutron bug 1696051: the bulk create answer has no binding details; one GET tells
                // them for the whole batch (same host, same network).
                first = await _neutron.GetPortAsync(first.Id, cancellationToken).ConfigureAwait(false);
            }

            if (first.BindingVifType == "binding_failed")
            {
                throw new PoolDriverException(
                    $"pool {target.Pool.Id}: Neutron could not bind ports on host \"{target.Pool.Host}\" (binding:vif_type binding_failed): is an OVS agent running there?");
            }

            var defaults = _defaults.Value;
            return created
                .Select(p => new PooledPort(p.Id, VifJson.Serialize(NeutronVifMapper.ToOvsVif(
                    p, info.Network, info.Subnet, defaults.OvsBridge, defaults.NetworkDeviceMtu, first.BindingVifType, first.BindingVifDetails))))
                .ToList();
        }
        catch (Exception e)
        {
            LogCreateRolledBack(target.Pool.Id, created.Count, e.Message);
            await DeleteQuietlyAsync(created.Select(p => p.Id).ToList()).ConfigureAwait(false);
            throw;
        }
    }

    public async Task UpdateSecurityGroupsAsync(string portId, SecurityGroupSet securityGroups, CancellationToken cancellationToken)
    {
        await PoolPorts.UpdateSecurityGroupsAsync(_neutron, portId, securityGroups, cancellationToken).ConfigureAwait(false);
        LogSecurityGroupsUpdated(portId, securityGroups.Key);
    }

    public async Task DeletePortsAsync(PoolKey pool, IReadOnlyList<string> portIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(portIds);
        foreach (var id in portIds)
        {
            var existed = await _neutron.DeletePortAsync(id, cancellationToken).ConfigureAwait(false);
            LogPortDeleted(pool.Id, id, existed);
        }
    }

    public async Task<IReadOnlyList<DiscoveredPort>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var result = new List<DiscoveredPort>();
        var defaults = _defaults.Value;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var port in ListDiscoverableAsync(defaults.Project, cancellationToken).ConfigureAwait(false))
        {
            if (!seen.Add(port.Id))
            {
                continue;
            }

            var project = port.ProjectId ?? port.TenantId;
            var subnetId = port.FixedIps.Count > 0 ? port.FixedIps[0].SubnetId : null;
            if (string.IsNullOrEmpty(port.BindingHostId) || string.IsNullOrEmpty(project) || string.IsNullOrEmpty(port.NetworkId) || subnetId is null)
            {
                LogDiscoverSkipped(port.Id, port.BindingHostId ?? "");
                continue;
            }

            var info = await _subnets.GetAsync(subnetId, cancellationToken).ConfigureAwait(false);
            string vifJson;
            try
            {
                vifJson = VifJson.Serialize(NeutronVifMapper.ToOvsVif(port, info.Network, info.Subnet, defaults.OvsBridge, defaults.NetworkDeviceMtu));
            }
            catch (PoolDriverException e)
            {
                LogDiscoverNoVif(port.Id, e.Message);
                vifJson = "";
            }

            result.Add(new DiscoveredPort(
                new PoolKey(port.BindingHostId, project, port.NetworkId),
                port.Id,
                vifJson,
                new SecurityGroupSet(port.SecurityGroups),
                port.CreatedAt,
                _ownership.IsOurs(port.Tags)));
        }

        return result;
    }

    /// <summary>
    /// Our ports (<c>compute:kuryr</c> with every ownership tag), then the ports an operator made by
    /// hand for the pools: <c>compute:kuryr</c> in the cluster's <c>[neutron_defaults] project</c>
    /// carrying no cluster tag at all (a port tagged for another cluster is never taken). Without a
    /// configured project, hand-made ports are not looked for: a cloud-wide listing could adopt
    /// another tenant's ports.
    /// </summary>
    private async IAsyncEnumerable<Port> ListDiscoverableAsync(string? project, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var port in _neutron.ListPortsAsync(new PortFilter { DeviceOwner = KuryrDeviceOwner, Tags = _ownership.Tags }, cancellationToken).ConfigureAwait(false))
        {
            yield return port;
        }

        if (string.IsNullOrEmpty(project))
        {
            yield break;
        }

        await foreach (var port in _neutron.ListPortsAsync(new PortFilter { DeviceOwner = KuryrDeviceOwner, ProjectId = project }, cancellationToken).ConfigureAwait(false))
        {
            if (!port.Tags.Any(t => t.StartsWith(PortOwnership.ClusterTagPrefix, StringComparison.Ordinal)))
            {
                yield return port;
            }
        }
    }

    private async Task DeleteQuietlyAsync(IReadOnlyList<string> portIds)
    {
        foreach (var id in portIds)
        {
            try
            {
                await _neutron.DeletePortAsync(id, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // rollback is best effort; garbage collection catches what is left (tagged)
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRollbackDeleteFailed(id, e.Message);
            }
        }
    }
}
