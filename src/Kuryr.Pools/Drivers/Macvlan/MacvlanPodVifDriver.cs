using System.Collections.Concurrent;
using System.Net;
using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Ownership;
using Kuryr.Pools.State;
using Kuryr.Vifs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Drivers.Macvlan;

/// <summary>
/// Kuryr's <c>nested-macvlan</c> pod VIF driver (<c>nested.MacvlanDriver</c> on the controller side),
/// the port maker of the <c>noop</c> pool for nodes labelled <c>pod_vif=nested-macvlan</c>: a pod
/// gets a normal Neutron port on the pod subnet (tagged with the cluster's ownership tags, a marker
/// tag and the VM port it is allowed on), whose IP(s)+MAC are added to the worker VM port's
/// <c>allowed_address_pairs</c> with an <c>If-Match</c> revision update, re-read and retried on 412
/// up to <c>[pod_vif_nested] rev_update_attempts</c> times (updates of one VM port are serialised
/// in this process, so concurrent pods of one VM only race with other writers). Release removes the
/// pair, then deletes the port. Not pooled: Kuryr's pairing rules allow only <c>noop</c>.
/// docs/pools-nested.md#nested-macvlan.
/// </summary>
internal sealed partial class MacvlanPodVifDriver : IPoolDriver
{
    public const string DriverName = KuryrDrivers.NestedMacvlan;

    /// <summary>Marks the ports this driver made (discovery lists by it).</summary>
    public const string MarkerTag = "kuryr.node.macvlan";

    /// <summary>Prefix of the tag naming the VM port whose pairs allow the port (36-char UUID: 58 chars).</summary>
    public const string VmPortTagPrefix = "kuryr.node.vm-port=";

    private readonly INeutronClient _neutron;
    private readonly IPortOwnership _ownership;
    private readonly VmPorts _vmPorts;
    private readonly ISubnetCache _subnets;
    private readonly IOptions<NeutronDefaultsOptions> _defaults;
    private readonly IOptions<KubernetesOptions> _kubernetes;
    private readonly IOptions<PodVifNestedOptions> _nested;
    private readonly ILogger<MacvlanPodVifDriver> _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _vmPortLocks = new(StringComparer.Ordinal);

    public MacvlanPodVifDriver(
        INeutronClient neutron,
        IPortOwnership ownership,
        ISubnetCache subnets,
        IOptions<NeutronDefaultsOptions> defaults,
        IOptions<KubernetesOptions> kubernetes,
        IOptions<PodVifNestedOptions> nested,
        ILogger<MacvlanPodVifDriver> logger)
    {
        _neutron = neutron;
        _ownership = ownership;
        _subnets = subnets;
        _defaults = defaults;
        _kubernetes = kubernetes;
        _nested = nested;
        _logger = logger;
        _vmPorts = new VmPorts(neutron, nested);
    }

    public string Name => DriverName;

    public string PodVifDriver => KuryrDrivers.NestedMacvlan;

    public bool Pooled => false;

    /// <summary>Test hook: runs after the VM port was read and before its If-Match update.</summary>
    internal Func<string, Task>? BeforePairsUpdate { get; set; }

    private int Attempts => Math.Max(1, _nested.Value.RevUpdateAttempts);

    public PoolKey PoolFor(PodVifRequest request) =>
        WorkerVmPorts.KeyByNodeIp(request, "nested-macvlan ports are allowed on the VM port holding the node's IP");

    public async Task<IReadOnlyList<PooledPort>> CreatePortsAsync(PoolTarget target, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (string.IsNullOrWhiteSpace(target.SubnetId))
        {
            throw new PoolDriverException($"pool {target.Pool.Id}: the target's subnet id is empty");
        }

        var subnet = await _subnets.GetAsync(target.SubnetId, cancellationToken).ConfigureAwait(false);
        if (subnet.Network.Id != target.Pool.NetworkId)
        {
            throw new PoolDriverException($"pool {target.Pool.Id}: subnet {subnet.Subnet.Id} belongs to network {subnet.Network.Id}, not to the pool's network {target.Pool.NetworkId}");
        }

        // The VM port first: a node without one is refused before any port exists.
        var vmPortId = await _vmPorts.ResolveAsync(target.Pool.Host, cancellationToken).ConfigureAwait(false);
        var request = new PortCreate
        {
            NetworkId = target.Pool.NetworkId,
            ProjectId = target.Pool.ProjectId,
            FixedIps = [new FixedIpRequest { SubnetId = target.SubnetId }],
            DeviceOwner = PoolPorts.KuryrDeviceOwner,
            AdminStateUp = true,
            SecurityGroups = target.SecurityGroups.Ids.Count > 0 ? target.SecurityGroups.Ids : null,
            Tags = [.. _ownership.Tags, MarkerTag, VmPortTagPrefix + vmPortId],
            Name = _kubernetes.Value.PortDebug ? PoolPorts.PoolPortName : null,
        };
        var ports = await _neutron.CreatePortsAsync([.. Enumerable.Repeat(request, count)], cancellationToken).ConfigureAwait(false);
        try
        {
            var pairs = ports.SelectMany(AddressPairs.Of).ToList();
            await AddPairsAsync(vmPortId, target.Pool.Host, pairs, cancellationToken).ConfigureAwait(false);
            var mtu = _defaults.Value.NetworkDeviceMtu;
            var result = ports.Select(p => new PooledPort(p.Id, VifJson.Serialize(NeutronVifMapper.ToMacvlanNestedVif(p, subnet.Network, subnet.Subnet, mtu)))).ToList();
            LogCreated(target.Pool.Id, vmPortId, result.Count, pairs);
            return result;
        }
        catch (Exception e)
        {
            LogCreateRolledBack(target.Pool.Id, vmPortId, ports.Count, e.Message);
            await RollbackAsync(vmPortId, ports).ConfigureAwait(false);
            throw;
        }
    }

    public Task UpdateSecurityGroupsAsync(string portId, SecurityGroupSet securityGroups, CancellationToken cancellationToken) =>
        PoolPorts.UpdateSecurityGroupsAsync(_neutron, portId, securityGroups, cancellationToken);

    public async Task DeletePortsAsync(PoolKey pool, IReadOnlyList<string> portIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(portIds);
        var ids = portIds.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal).ToList();
        var byVmPort = new Dictionary<string, List<(Port Port, IReadOnlyList<AddressPairs.Pair> Pairs)>>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            Port port;
            try
            {
                port = await _neutron.GetPortAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (NeutronNotFoundException)
            {
                LogAlreadyGone(pool.Id, id);
                continue; // its pair, if one was left, is a stale pair discovery removes
            }

            var vmPortId = VmPortOf(port) ?? await ResolveForDeleteAsync(pool, id, cancellationToken).ConfigureAwait(false);
            if (vmPortId is null)
            {
                continue;
            }

            if (!byVmPort.TryGetValue(vmPortId, out var list))
            {
                byVmPort[vmPortId] = list = [];
            }

            list.Add((port, port.FixedIps.Any(f => f.IpAddress is not null) && !string.IsNullOrEmpty(port.MacAddress) ? AddressPairs.Of(port) : []));
        }

        // Pairs first, then the ports: a crash in between leaves a port without a pair (found by
        // discovery and deleted by recovery or GC), never a pair without a port.
        foreach (var (vmPortId, ports) in byVmPort)
        {
            await RemovePairsAsync(vmPortId, pool.Host, [.. ports.SelectMany(p => p.Pairs)], cancellationToken).ConfigureAwait(false);
        }

        foreach (var id in ids)
        {
            var existed = await _neutron.DeletePortAsync(id, cancellationToken).ConfigureAwait(false);
            LogDeleted(pool.Id, id, existed);
        }
    }

    public async Task<IReadOnlyList<DiscoveredPort>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var ours = new List<Port>();
        var filter = new PortFilter { DeviceOwner = PoolPorts.KuryrDeviceOwner, Tags = [.. _ownership.Tags, MarkerTag] };
        await foreach (var p in _neutron.ListPortsAsync(filter, cancellationToken).ConfigureAwait(false))
        {
            ours.Add(p);
        }

        var vmPortIds = ours.Select(VmPortOf).OfType<string>().Concat(_vmPorts.KnownPortIds).Distinct(StringComparer.Ordinal).ToList();
        var vmPorts = await PoolPorts.ListByIdsAsync(_neutron, vmPortIds, cancellationToken).ConfigureAwait(false);

        var result = new List<DiscoveredPort>();
        foreach (var port in ours)
        {
            var vmPortId = VmPortOf(port);
            var project = port.ProjectId ?? port.TenantId;
            var subnetId = port.FixedIps.FirstOrDefault(ip => ip.SubnetId is not null)?.SubnetId;
            if (vmPortId is null || !vmPorts.TryGetValue(vmPortId, out var vm) || _vmPorts.HostIpOf(vm) is not { } hostIp
                || string.IsNullOrEmpty(project) || string.IsNullOrEmpty(port.NetworkId) || subnetId is null || string.IsNullOrEmpty(port.MacAddress))
            {
                // Its VM is gone (or it is malformed): no pool can use it; GC deletes it (tagged, unknown).
                LogUnusable(port.Id, vmPortId ?? "");
                continue;
            }

            var subnet = await _subnets.GetAsync(subnetId, cancellationToken).ConfigureAwait(false);
            result.Add(new DiscoveredPort(
                new PoolKey(hostIp, project, port.NetworkId),
                port.Id,
                VifJson.Serialize(NeutronVifMapper.ToMacvlanNestedVif(port, subnet.Network, subnet.Subnet, _defaults.Value.NetworkDeviceMtu)),
                new SecurityGroupSet(port.SecurityGroups),
                port.CreatedAt,
                _ownership.IsOurs(port.Tags)));
        }

        foreach (var vm in vmPorts.Values)
        {
            await ReconcileAsync(vm, [.. ours.Where(p => VmPortOf(p) == vm.Id)], cancellationToken).ConfigureAwait(false);
        }

        LogDiscovered(result.Count, vmPorts.Count);
        return result;
    }

    /// <summary>The VM port a port of ours is allowed on (its tag), else null.</summary>
    internal static string? VmPortOf(Port port) =>
        port.Tags.FirstOrDefault(t => t.StartsWith(VmPortTagPrefix, StringComparison.Ordinal))?[VmPortTagPrefix.Length..] is { Length: > 0 } id ? id : null;

    /// <summary>
    /// Makes a VM port's pairs agree with the ports of ours allowed on it: a port whose pair is
    /// missing (the process died between the create and the pair update) gets it back, so an adopted
    /// port works when a pod takes it; a pair whose MAC is foreign to the VM port and held by no port
    /// at all (its port was deleted by hand, or deleted while a discovery re-added its pair) is
    /// removed. Never throws: the listing stays complete; the next discovery tries again.
    /// </summary>
    private async Task ReconcileAsync(Port vm, IReadOnlyList<Port> ours, CancellationToken cancellationToken)
    {
        try
        {
            var missing = ours.Where(p => p.FixedIps.Any(f => f.IpAddress is not null) && !string.IsNullOrEmpty(p.MacAddress))
                .SelectMany(AddressPairs.Of).Where(pair => !AddressPairs.Contains(vm.AllowedAddressPairs, pair)).ToList();
            var known = ours.Select(p => p.MacAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var stale = new List<AddressPairs.Pair>();
            foreach (var pair in vm.AllowedAddressPairs)
            {
                if (pair.MacAddress is not { Length: > 0 } mac || AddressPairs.SameMac(mac, vm.MacAddress) || known.Contains(mac))
                {
                    continue;
                }

                var holder = false;
                await foreach (var _ in _neutron.ListPortsAsync(new PortFilter { MacAddress = mac, Fields = ["id"] }, cancellationToken).ConfigureAwait(false))
                {
                    holder = true;
                    break;
                }

                if (!holder)
                {
                    stale.Add(new AddressPairs.Pair(pair.IpAddress, mac));
                }
            }

            var hostIp = _vmPorts.HostIpOf(vm) ?? "";
            if (missing.Count > 0)
            {
                LogPairsRestored(vm.Id, hostIp, missing.Count);
                await AddPairsAsync(vm.Id, hostIp, missing, cancellationToken).ConfigureAwait(false);
            }

            if (stale.Count > 0)
            {
                LogStalePairsRemoved(vm.Id, hostIp, string.Join(", ", stale.Select(p => p.Ip + "/" + p.Mac)));
                await RemovePairsAsync(vm.Id, hostIp, stale, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReconcileFailed(vm.Id, e.Message);
        }
    }

    private Task AddPairsAsync(string vmPortId, string hostIp, IReadOnlyList<AddressPairs.Pair> pairs, CancellationToken cancellationToken) =>
        UpdatePairsAsync(vmPortId, hostIp, "add", current =>
        {
            var replaced = new List<AllowedAddressPair>();
            var next = AddressPairs.Add(current, pairs, replaced);
            foreach (var old in replaced)
            {
                LogStalePairReplaced(vmPortId, hostIp, old.IpAddress, old.MacAddress ?? "");
            }

            return next;
        }, cancellationToken);

    private Task RemovePairsAsync(string vmPortId, string hostIp, List<AddressPairs.Pair> pairs, CancellationToken cancellationToken) =>
        pairs.Count == 0 ? Task.CompletedTask : UpdatePairsAsync(vmPortId, hostIp, "remove", current => AddressPairs.Remove(current, pairs), cancellationToken, missingVmIsFine: true);

    /// <summary>Read the VM port, edit its pairs, write them with <c>If-Match: revision_number</c>;
    /// on 412 re-read and retry, <c>rev_update_attempts</c> times in all. One writer per VM port in
    /// this process at a time.</summary>
    private async Task UpdatePairsAsync(
        string vmPortId, string hostIp, string what, Func<IReadOnlyList<AllowedAddressPair>, List<AllowedAddressPair>?> edit,
        CancellationToken cancellationToken, bool missingVmIsFine = false)
    {
        var gate = _vmPortLocks.GetOrAdd(vmPortId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var attempts = Attempts;
            for (var attempt = 1; ; attempt++)
            {
                Port vm;
                try
                {
                    vm = await _neutron.GetPortAsync(vmPortId, cancellationToken).ConfigureAwait(false);
                }
                catch (NeutronNotFoundException) when (missingVmIsFine)
                {
                    LogVmPortGone(vmPortId, hostIp);
                    _vmPorts.Invalidate(hostIp);
                    return;
                }
                catch (NeutronNotFoundException e)
                {
                    _vmPorts.Invalidate(hostIp);
                    throw new PoolDriverException($"nested-macvlan: the VM port {vmPortId} of node IP {hostIp} is gone", e);
                }

                var next = edit(vm.AllowedAddressPairs);
                if (next is null)
                {
                    return; // nothing to change (idempotent)
                }

                if (vm.RevisionNumber is not { } revision)
                {
                    throw new PoolDriverException($"nested-macvlan: VM port {vmPortId} of node IP {hostIp} has no revision_number (Neutron's revisions extension is needed for If-Match)");
                }

                if (BeforePairsUpdate is { } hook)
                {
                    await hook(vmPortId).ConfigureAwait(false);
                }

                try
                {
                    await _neutron.UpdatePortAsync(vmPortId, new PortUpdate { AllowedAddressPairs = next }, revision, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (NeutronPreconditionFailedException e)
                {
                    if (attempt >= attempts)
                    {
                        throw new PoolDriverException(
                            $"nested-macvlan: could not {what} allowed address pairs on VM port {vmPortId} of node IP {hostIp}: its revision changed under every one of {attempts} attempts ([pod_vif_nested] rev_update_attempts)", e);
                    }

                    LogRevisionConflict(vmPortId, hostIp, what, attempt, attempts, revision);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<string?> ResolveForDeleteAsync(PoolKey pool, string portId, CancellationToken cancellationToken)
    {
        try
        {
            return await _vmPorts.ResolveAsync(pool.Host, cancellationToken).ConfigureAwait(false);
        }
        catch (PoolDriverException e)
        {
            LogNoVmPortForDelete(pool.Id, portId, e.Message);
            return null;
        }
    }

    private async Task RollbackAsync(string vmPortId, IReadOnlyList<Port> ports)
    {
        try
        {
            await RemovePairsAsync(vmPortId, "", [.. ports.SelectMany(AddressPairs.Of)], CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // best effort: a pair left behind is stale once the port is deleted; discovery removes it
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogRollbackFailed(vmPortId, e.Message);
        }

        foreach (var port in ports)
        {
            try
            {
                await _neutron.DeletePortAsync(port.Id, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // best effort: the port is tagged; GC deletes what is left
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRollbackFailed(port.Id, e.Message);
            }
        }
    }
}
