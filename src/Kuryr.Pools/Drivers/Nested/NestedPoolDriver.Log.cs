using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Drivers.Nested;

internal sealed partial class NestedPoolDriver
{
    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "Pool {Pool}: created {Count} subports on trunk {TrunkId} (VLAN ids {VlanIds})")]
    private partial void LogCreated(string pool, string trunkId, int count, IReadOnlyCollection<int> vlanIds);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Warning, Message = "Trunk {TrunkId}: {Wanted} VLAN ids wanted, only {Reserved} free; creating {Reserved} ports")]
    private partial void LogFewerVlans(string trunkId, int wanted, int reserved);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Warning, Message = "Pool {Pool}: creation on trunk {TrunkId} failed; rolling back {Count} ports")]
    private partial void LogRollingBack(Exception error, string pool, string trunkId, int count);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Warning, Message = "Pool {Pool}: VLAN conflict on trunk {TrunkId} (attempt {Attempt}, {ErrorType}: {NeutronMessage}); retrying with fresh VLAN ids")]
    private partial void LogVlanConflictRetry(string trunkId, string pool, int attempt, string? errorType, string neutronMessage);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Error, Message = "Port {PortId} of pool {Pool} was deleted but its creating entry could not be forgotten in Redis (recovery will)")]
    private partial void LogRollbackForgetFailed(Exception error, string portId, string pool);

    [LoggerMessage(EventId = 4606, Level = LogLevel.Warning, Message = "Trunk {TrunkId}: VLAN ids {VlanIds} could not be released in Redis (dropped at the next discovery once stale)")]
    private partial void LogReleaseFailed(Exception error, string trunkId, IReadOnlyCollection<int> vlanIds);

    [LoggerMessage(EventId = 4607, Level = LogLevel.Information, Message = "Trunk {TrunkId} of node {HostIp} is gone; looking the node's trunk up again")]
    private partial void LogTrunkGone(string trunkId, string hostIp);

    [LoggerMessage(EventId = 4608, Level = LogLevel.Warning, Message = "Pool {Pool}: no node trunk ({Reason}); deleting the ports without a trunk detach")]
    private partial void LogNoTrunkForDelete(string pool, string reason);

    [LoggerMessage(EventId = 4609, Level = LogLevel.Information, Message = "Trunk {TrunkId}: detached {Count} subports")]
    private partial void LogDetached(string trunkId, int count);

    [LoggerMessage(EventId = 4610, Level = LogLevel.Information, Message = "Pool {Pool}: deleted {Count} ports")]
    private partial void LogDeleted(string pool, int count);

    [LoggerMessage(EventId = 4611, Level = LogLevel.Error, Message = "Port {PortId} could not be deleted")]
    private partial void LogDeleteFailed(Exception error, string portId);

    [LoggerMessage(EventId = 4612, Level = LogLevel.Information, Message = "Port {PortId} is still a subport of trunk {TrunkId}: detaching it, then deleting it again")]
    private partial void LogDetachBeforeDelete(string portId, string trunkId);

    [LoggerMessage(EventId = 4613, Level = LogLevel.Debug, Message = "Subport {PortId} of node trunk {TrunkId} is not ours (device_owner \"{DeviceOwner}\", no ownership tag): ignored")]
    private partial void LogForeignSubport(string portId, string trunkId, string deviceOwner);

    [LoggerMessage(EventId = 4614, Level = LogLevel.Warning, Message = "Subport {PortId} of node trunk {TrunkId} lacks a project, network, fixed IP or VLAN segmentation: ignored")]
    private partial void LogUnusableSubport(string portId, string trunkId);

    [LoggerMessage(EventId = 4615, Level = LogLevel.Information, Message = "Trunk {TrunkId}: dropped {Count} stale VLAN reservations (no subport uses them)")]
    private partial void LogStaleVlansDropped(string trunkId, int count);

    [LoggerMessage(EventId = 4616, Level = LogLevel.Information, Message = "Nested discovery: {Trunks} node trunks, {Ports} pool subports")]
    private partial void LogDiscovered(int trunks, int ports);
}
