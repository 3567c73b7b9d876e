using System.Net;
using System.Text.RegularExpressions;
using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Trunks;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Ownership;
using Kuryr.Pools.State;
using Kuryr.Vifs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Drivers.Nested;

/// <summary>
/// Kuryr's <c>nested</c> pool driver (pod_vif <c>nested-vlan</c>): pods of a worker VM get trunk
/// subports of the VM's trunk, reached through a VLAN device. A pool's host is the trunk parent's
/// IP (the pod's <c>status.hostIP</c>). Populating reserves VLAN ids in Redis (shared by every
/// replica), makes ONE bulk port create, records the ports as <c>creating</c>, then ONE
/// <c>add_subports</c>; any failure rolls back (ports deleted, VLAN ids released, creating entries
/// forgotten), and a VLAN conflict is retried with fresh ids (Kuryr: 3 tries). docs/pools-nested.md.
/// </summary>
internal sealed partial class NestedPoolDriver : IPoolDriver
{
    public const string DriverName = "nested";
    public const string VifDriverName = "nested-vlan";
    public const string KuryrDeviceOwner = PoolPorts.KuryrDeviceOwner;
    public const string SubportDeviceOwner = "trunk:subport";
    public const string PoolPortName = PoolPorts.PoolPortName;

    /// <summary>Kuryr retries a bulk creation whose add_subports hit a VLAN conflict 3 times.</summary>
    internal const int VlanConflictAttempts = 3;

    /// <summary>Kuryr's <c>LEFTOVER_RM_POOL_SIZE</c>: parallel port deletions.</summary>
    internal const int DeleteParallelism = 5;

    private readonly INeutronClient _neutron;
    private readonly IVlanReservations _vlans;
    private readonly IPoolStateStore _store;
    private readonly IPortOwnership _ownership;
    private readonly NodeTrunks _trunks;
    private readonly ISubnetCache _subnets;
    private readonly IOptions<NeutronDefaultsOptions> _defaults;
    private readonly IOptions<KubernetesOptions> _kubernetes;
    private readonly IOptions<VifPoolOptions> _pools;
    private readonly ILogger<NestedPoolDriver> _logger;
    private readonly TimeProvider _time;

    public NestedPoolDriver(
        INeutronClient neutron,
        IVlanReservations vlans,
        IPoolStateStore store,
        IPortOwnership ownership,
        NodeTrunks trunks,
        ISubnetCache subnets,
        IOptions<NeutronDefaultsOptions> defaults,
        IOptions<KubernetesOptions> kubernetes,
        IOptions<VifPoolOptions> pools,
        ILogger<NestedPoolDriver> logger,
        TimeProvider time)
    {
        _neutron = neutron;
        _vlans = vlans;
        _store = store;
        _ownership = ownership;
        _trunks = trunks;
        _subnets = subnets;
        _defaults = defaults;
        _kubernetes = kubernetes;
        _pools = pools;
        _logger = logger;
        _time = time;
    }

    public string Name => DriverName;

    public string PodVifDriver => VifDriverName;

    public bool Pooled => true;

    public PoolKey PoolFor(PodVifRequest request) =>
        WorkerVmPorts.KeyByNodeIp(request, "a nested pool is keyed by the node's trunk parent IP");

    public async Task<IReadOnlyList<PooledPort>> CreatePortsAsync(PoolTarget target, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [];
        }

        if (string.IsNullOrWhiteSpace(target.SubnetId))
        {
            throw new PoolDriverException($"pool {target.Pool}: the target's subnet id is empty");
        }

        var subnet = await _subnets.GetAsync(target.SubnetId, cancellationToken).ConfigureAwait(false);
        if (subnet.Network.Id != target.Pool.NetworkId)
        {
            throw new PoolDriverException($"pool {target.Pool}: subnet {subnet.Subnet.Id} belongs to network {subnet.Network.Id}, not to the pool's network {target.Pool.NetworkId}");
        }

        for (var attempt = 1; ; attempt++)
        {
            var (trunk, inUse) = await ReadTrunkAsync(target.Pool.Host, cancellationToken).ConfigureAwait(false);
            try
            {
                return await CreateOnceAsync(target, trunk, inUse, count, subnet, cancellationToken).ConfigureAwait(false);
            }
            catch (NeutronConflictException e) when (e.Operation == "add_subports" && attempt < VlanConflictAttempts && !cancellationToken.IsCancellationRequested)
            {
                LogVlanConflictRetry(trunk.TrunkId, target.Pool.Id, attempt, e.ErrorType, e.NeutronMessage);
            }
        }
    }

    public Task UpdateSecurityGroupsAsync(string portId, SecurityGroupSet securityGroups, CancellationToken cancellationToken) =>
        PoolPorts.UpdateSecurityGroupsAsync(_neutron, portId, securityGroups, cancellationToken);

    public async Task DeletePortsAsync(PoolKey pool, IReadOnlyList<string> portIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(portIds);
        var ids = portIds.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal).ToList(); // LP #1847287
        if (ids.Count == 0)
        {
            return;
        }

        await DetachAsync(pool, ids, cancellationToken).ConfigureAwait(false);
        var failures = await DeleteAllAsync(ids, cancellationToken).ConfigureAwait(false);
        if (failures.Count > 0)
        {
            throw new PoolDriverException(
                $"pool {pool}: {failures.Count} of {ids.Count} ports could not be deleted: {string.Join(", ", failures.Select(f => f.PortId))}",
                failures[0].Error);
        }

        LogDeleted(pool.Id, ids.Count);
    }

    public async Task<IReadOnlyList<DiscoveredPort>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var listings = await _trunks.ListAsync(cancellationToken).ConfigureAwait(false);
        var subportIds = listings.SelectMany(l => l.SubPorts).Select(s => s.PortId).Distinct(StringComparer.Ordinal).ToList();
        var ports = await PoolPorts.ListByIdsAsync(_neutron, subportIds, cancellationToken).ConfigureAwait(false);

        var result = new List<DiscoveredPort>();
        foreach (var listing in listings)
        {
            foreach (var sub in listing.SubPorts)
            {
                if (!ports.TryGetValue(sub.PortId, out var port))
                {
                    continue; // deleted since the trunk listing
                }

                if (port.Tags.Contains(PortTags.PerPod, StringComparer.Ordinal))
                {
                    continue; // a multi-VIF port of one pod: released by its KuryrPort, never pooled
                }

                var tagged = _ownership.IsOurs(port.Tags);
                if (!tagged && port.DeviceOwner is not (KuryrDeviceOwner or SubportDeviceOwner))
                {
                    LogForeignSubport(port.Id, listing.Trunk.TrunkId, port.DeviceOwner ?? "");
                    continue;
                }

                var project = port.ProjectId ?? port.TenantId;
                var subnetId = port.FixedIps.FirstOrDefault(ip => ip.SubnetId is not null)?.SubnetId;
                if (string.IsNullOrEmpty(project) || string.IsNullOrEmpty(port.NetworkId) || subnetId is null
                    || (sub.SegmentationType is { } type && type != "vlan"))
                {
                    LogUnusableSubport(port.Id, listing.Trunk.TrunkId);
                    continue;
                }

                var subnet = await _subnets.GetAsync(subnetId, cancellationToken).ConfigureAwait(false);
                result.Add(new DiscoveredPort(
                    new PoolKey(listing.Trunk.HostIp, project, port.NetworkId),
                    port.Id,
                    Vif(port, subnet, sub.SegmentationId),
                    new SecurityGroupSet(port.SecurityGroups),
                    port.CreatedAt,
                    tagged));
            }
        }

        // The VLAN ids in use are reserved; reservations older than a population can last (the
        // population lock's timeout) and not in use belong to creators that died: dropped.
        var staleBefore = _time.GetUtcNow() - _pools.Value.PopulateLockTimeout;
        foreach (var listing in listings)
        {
            var dropped = await _vlans.SyncAsync(listing.Trunk.TrunkId, [.. listing.SubPorts.Select(s => s.SegmentationId)], staleBefore).ConfigureAwait(false);
            if (dropped > 0)
            {
                LogStaleVlansDropped(listing.Trunk.TrunkId, dropped);
            }
        }

        LogDiscovered(listings.Count, result.Count);
        return result;
    }

    private async Task<IReadOnlyList<PooledPort>> CreateOnceAsync(
        PoolTarget target, NodeTrunk trunk, IReadOnlyCollection<int> inUse, int count, SubnetInfo subnet, CancellationToken cancellationToken)
    {
        var vlans = await _vlans.ReserveAsync(trunk.TrunkId, inUse, count).ConfigureAwait(false);
        if (vlans.Count == 0)
        {
            throw new PoolDriverException($"trunk {trunk.TrunkId} of node {trunk.HostIp} has no free VLAN id: all of 1-4094 are in use or reserved");
        }

        if (vlans.Count < count)
        {
            LogFewerVlans(trunk.TrunkId, count, vlans.Count);
        }

        IReadOnlyList<Port> ports;
        try
        {
            var request = new PortCreate
            {
                NetworkId = target.Pool.NetworkId,
                ProjectId = target.Pool.ProjectId,
                FixedIps = [new FixedIpRequest { SubnetId = target.SubnetId }],
                DeviceOwner = KuryrDeviceOwner,
                AdminStateUp = true,
                SecurityGroups = target.SecurityGroups.Ids.Count > 0 ? target.SecurityGroups.Ids : null,
                Tags = _ownership.Tags,
                Name = _kubernetes.Value.PortDebug ? PoolPortName : null,
            };
            ports = await _neutron.CreatePortsAsync([.. Enumerable.Repeat(request, vlans.Count)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await ReleaseQuietlyAsync(trunk.TrunkId, vlans).ConfigureAwait(false);
            throw;
        }

        try
        {
            var pooled = new List<PooledPort>(ports.Count);
            var subports = new List<SubPort>(ports.Count);
            for (var i = 0; i < ports.Count; i++)
            {
                pooled.Add(new PooledPort(ports[i].Id, Vif(ports[i], subnet, vlans[i])));
                subports.Add(new SubPort(ports[i].Id, vlans[i]));
            }

            // Recorded before the attach: a crash in between leaves ports recovery can find and finish.
            await _store.AddCreatingAsync(target.Pool, target.SecurityGroups, pooled).ConfigureAwait(false);
            await _neutron.AddSubportsAsync(trunk.TrunkId, subports, cancellationToken).ConfigureAwait(false);
            LogCreated(target.Pool.Id, trunk.TrunkId, pooled.Count, vlans);
            return pooled;
        }
        catch (Exception e)
        {
            LogRollingBack(e, target.Pool.Id, trunk.TrunkId, ports.Count);
            await RollbackAsync(target.Pool, trunk.TrunkId, ports, vlans).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Deletes the ports of a failed creation (detaching any that did get attached),
    /// releases their VLAN ids and forgets their creating entries. Never throws: a port that cannot
    /// be deleted stays recorded as creating (and its VLAN reserved) for recovery to finish.</summary>
    private async Task RollbackAsync(PoolKey pool, string trunkId, IReadOnlyList<Port> ports, IReadOnlyList<int> vlans)
    {
        var failures = await DeleteAllAsync([.. ports.Select(p => p.Id)], CancellationToken.None).ConfigureAwait(false);
        var failed = failures.Select(f => f.PortId).ToHashSet(StringComparer.Ordinal);
        var released = new List<int>();
        for (var i = 0; i < ports.Count; i++)
        {
            if (failed.Contains(ports[i].Id))
            {
                continue;
            }

            released.Add(vlans[i]);
            try
            {
                await _store.ForgetAsync(pool, ports[i].Id).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogRollbackForgetFailed(e, ports[i].Id, pool.Id);
            }
        }

        released.AddRange(vlans.Skip(ports.Count)); // reserved, but no port was made for them
        await ReleaseQuietlyAsync(trunkId, released).ConfigureAwait(false);
    }

    private async Task ReleaseQuietlyAsync(string trunkId, IReadOnlyCollection<int> vlans)
    {
        try
        {
            await _vlans.ReleaseAsync(trunkId, vlans).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Still reserved: the next discovery drops it once stale.
            LogReleaseFailed(e, trunkId, vlans);
        }
    }

    /// <summary>The node's trunk and the VLAN ids in use on it; a cached trunk that is gone is
    /// looked up again once.</summary>
    private async Task<(NodeTrunk Trunk, IReadOnlyCollection<int> InUse)> ReadTrunkAsync(string hostIp, CancellationToken cancellationToken)
    {
        var trunk = await _trunks.ResolveAsync(hostIp, cancellationToken).ConfigureAwait(false);
        try
        {
            var t = await _neutron.GetTrunkAsync(trunk.TrunkId, cancellationToken).ConfigureAwait(false);
            return (trunk, t.SubPorts.Select(s => s.SegmentationId).ToHashSet());
        }
        catch (NeutronNotFoundException)
        {
            _trunks.Invalidate(hostIp);
            LogTrunkGone(trunk.TrunkId, hostIp);
            trunk = await _trunks.ResolveAsync(hostIp, cancellationToken).ConfigureAwait(false);
            var t = await _neutron.GetTrunkAsync(trunk.TrunkId, cancellationToken).ConfigureAwait(false);
            return (trunk, t.SubPorts.Select(s => s.SegmentationId).ToHashSet());
        }
    }

    /// <summary>One remove_subports for those of <paramref name="ids"/> on the pool's trunk (others
    /// are ignored), then their VLAN ids are released.</summary>
    private async Task DetachAsync(PoolKey pool, List<string> ids, CancellationToken cancellationToken)
    {
        NodeTrunk trunk;
        Trunk current;
        try
        {
            (trunk, current) = await ReadTrunkObjectAsync(pool.Host, cancellationToken).ConfigureAwait(false);
        }
        catch (PoolDriverException e)
        {
            // The node (or its trunk) is gone: delete the ports anyway; one still attached to some
            // trunk is detached by the delete path.
            LogNoTrunkForDelete(pool.Id, e.Message);
            return;
        }

        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var attached = current.SubPorts.Where(s => wanted.Contains(s.PortId)).ToList();
            if (attached.Count == 0)
            {
                return;
            }

            try
            {
                await _neutron.RemoveSubportsAsync(trunk.TrunkId, [.. attached.Select(s => s.PortId)], cancellationToken).ConfigureAwait(false);
                await ReleaseQuietlyAsync(trunk.TrunkId, [.. attached.Select(s => s.SegmentationId)]).ConfigureAwait(false);
                LogDetached(trunk.TrunkId, attached.Count);
                return;
            }
            catch (NeutronNotFoundException) when (attempt == 1)
            {
                // Some were detached meanwhile (SubPortNotFound): read the trunk again.
                current = await _neutron.GetTrunkAsync(trunk.TrunkId, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(NodeTrunk, Trunk)> ReadTrunkObjectAsync(string hostIp, CancellationToken cancellationToken)
    {
        var trunk = await _trunks.ResolveAsync(hostIp, cancellationToken).ConfigureAwait(false);
        try
        {
            return (trunk, await _neutron.GetTrunkAsync(trunk.TrunkId, cancellationToken).ConfigureAwait(false));
        }
        catch (NeutronNotFoundException)
        {
            _trunks.Invalidate(hostIp);
            trunk = await _trunks.ResolveAsync(hostIp, cancellationToken).ConfigureAwait(false);
            return (trunk, await _neutron.GetTrunkAsync(trunk.TrunkId, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<List<(string PortId, Exception Error)>> DeleteAllAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var failures = new List<(string, Exception)>();
        var gate = new Lock();
        await Parallel.ForEachAsync(
            ids,
            new ParallelOptions { MaxDegreeOfParallelism = DeleteParallelism, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                try
                {
                    await DeletePortDetachingAsync(id, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogDeleteFailed(e, id);
                    lock (gate)
                    {
                        failures.Add((id, e));
                    }
                }
            }).ConfigureAwait(false);
        return failures;
    }

    /// <summary>Deletes a port; one that is "currently a subport for trunk T" is detached from T
    /// (its VLAN id released) and deleted again (Kuryr's <c>c_utils.delete_port</c>, BZ 2002171).</summary>
    private async Task DeletePortDetachingAsync(string portId, CancellationToken cancellationToken)
    {
        try
        {
            await _neutron.DeletePortAsync(portId, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (NeutronConflictException e) when (SubportOfTrunk(e) is not null)
        {
            var trunkId = SubportOfTrunk(e)!;
            LogDetachBeforeDelete(portId, trunkId);
            int? vlan = null;
            try
            {
                vlan = (await _neutron.GetSubportsAsync(trunkId, cancellationToken).ConfigureAwait(false))
                    .FirstOrDefault(s => s.PortId == portId)?.SegmentationId;
                await _neutron.RemoveSubportsAsync(trunkId, [portId], cancellationToken).ConfigureAwait(false);
            }
            catch (NeutronNotFoundException)
            {
                // Detached (or the trunk deleted) meanwhile.
            }

            if (vlan is { } v)
            {
                await ReleaseQuietlyAsync(trunkId, [v]).ConfigureAwait(false);
            }
        }

        await _neutron.DeletePortAsync(portId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kuryr's VIFVlanNested of a subport (NeutronVifMapper, the MTU capped by
    /// <c>[neutron_defaults] network_device_mtu</c>).</summary>
    private string Vif(Port port, SubnetInfo subnet, int vlanId) =>
        VifJson.Serialize(NeutronVifMapper.ToVlanNestedVif(port, subnet.Network, subnet.Subnet, vlanId, _defaults.Value.NetworkDeviceMtu));

    [GeneratedRegex(@"currently a subport for trunk ([0-9A-Za-z-]+)")]
    private static partial Regex SubportOfTrunkPattern();

    /// <summary>The trunk id of Neutron's <c>PortInUseAsSubPort</c> error, else null.</summary>
    internal static string? SubportOfTrunk(NeutronException e)
    {
        var m = SubportOfTrunkPattern().Match(e.NeutronMessage);
        return m.Success ? m.Groups[1].Value.TrimEnd('.') : null;
    }
}
