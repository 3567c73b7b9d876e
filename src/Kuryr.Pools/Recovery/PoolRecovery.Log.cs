using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Recovery;

internal sealed partial class PoolRecovery
{
    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Redis holds no pools and no recovery marker under prefix {Prefix}: rebuilding the pools from Neutron and the KuryrPorts")]
    private partial void LogRebuilding(string prefix);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Pools recovered (rebuilt={Rebuilt}): {Pools} pools, {Discovered} ports in Neutron; adopted={Adopted} assigned={Assigned} released={Released} forgotten={Forgotten} creatingFinished={Creating} deletionsFinished={Deletions} conflicts={Conflicts}")]
    private partial void LogRecovered(bool rebuilt, int pools, int discovered, int adopted, int assigned, int released, int forgotten, int creating, int deletions, int conflicts);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Error, Message = "Redis state lost: the marker {MarkerKey} is gone; pools are not ready until recovered")]
    private partial void LogLossDetected(string markerKey);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Error, Message = "Pool recovery failed; retrying in {RetrySeconds} s")]
    private partial void LogRecoveryFailed(Exception exception, double retrySeconds);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Information, Message = "Port {PortId} of pool {Pool} moved to pool {NewPool} (found there in Neutron)")]
    private partial void LogMoved(string portId, string pool, string newPool);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Information, Message = "Finished the interrupted deletion of port {PortId} of pool {Pool}")]
    private partial void LogDeletionFinished(string portId, string pool);

    [LoggerMessage(EventId = 4307, Level = LogLevel.Warning, Message = "Port {PortId} ({State}) of pool {Pool} is gone from Neutron: forgotten")]
    private partial void LogForgotten(string portId, string pool, string state);

    [LoggerMessage(EventId = 4308, Level = LogLevel.Warning, Message = "Port {PortId} of pool {Pool} is held by {Owner} in Redis but KuryrPort {ReferencedBy} references it: left alone")]
    private partial void LogConflict(string portId, string pool, string owner, string referencedBy);

    [LoggerMessage(EventId = 4309, Level = LogLevel.Information, Message = "Port {PortId} of pool {Pool} released: its owner {Owner} has no KuryrPort any more")]
    private partial void LogReleased(string portId, string pool, string owner);

    [LoggerMessage(EventId = 4310, Level = LogLevel.Information, Message = "Port {PortId} adopted into pool {Pool} without the ownership tag (made by hand)")]
    private partial void LogHandMade(string portId, string pool);

    [LoggerMessage(EventId = 4311, Level = LogLevel.Information, Message = "Port {PortId} of pool {Pool} assigned to {Owner}, whose KuryrPort references it")]
    private partial void LogAssigned(string portId, string pool, string owner);

    [LoggerMessage(EventId = 4312, Level = LogLevel.Information, Message = "Pool {Pool} has creating ports but a population holds its lock: left for a later pass")]
    private partial void LogCreatingSkipped(string pool);

    [LoggerMessage(EventId = 4313, Level = LogLevel.Information, Message = "Interrupted population: port {PortId} of pool {Pool} {Outcome}")]
    private partial void LogCreatingFinished(string portId, string pool, string outcome);

    [LoggerMessage(EventId = 4314, Level = LogLevel.Information, Message = "Another replica is recovering the pools (lock {LockKey}); waiting")]
    private partial void LogWaitingForLock(string lockKey);

    [LoggerMessage(EventId = 4315, Level = LogLevel.Information, Message = "Port {PortId} of pool {Pool} moved from bucket '{Bucket}' to '{SecurityGroups}' (its security groups in Neutron)")]
    private partial void LogRebucketed(string portId, string pool, string bucket, string securityGroups);
}
