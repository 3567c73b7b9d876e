using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Manager;

internal sealed partial class VifPoolManager
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Pool {Pool}: port {Port} taken by {Pod} ({Kind})")]
    private partial void LogTaken(string pool, string port, string pod, Kuryr.Pools.State.TakeKind kind);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Pool {Pool}: empty for {Pod} (attempt {Attempt}); populating now")]
    private partial void LogPoolEmpty(string pool, string pod, int attempt);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Pool {Pool}: security group update of port {Port} for {Pod} failed; port given back: {Reason}")]
    private partial void LogSwapFailed(string pool, string port, string pod, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Pool {Pool}: port {Port} released by {Pod}: {Outcome}")]
    private partial void LogReleased(string pool, string port, string? pod, Kuryr.Pools.State.ReleaseOutcome outcome);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Pool {Pool}: {Count} ports created (security groups {SecurityGroups}) in {ElapsedMs} ms")]
    private partial void LogPopulated(string pool, int count, string securityGroups, double elapsedMs);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Pool {Pool}: population lock not acquired within {TimeoutSeconds} s; giving up this population")]
    private partial void LogLockTimeout(string pool, int timeoutSeconds);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Pool {Pool}: {Available} available ports, at ports_pool_max {Max}; not populating")]
    private partial void LogPoolFull(string pool, int available, int max);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Pool {Pool}: background refill failed: {Reason}")]
    private partial void LogRefillFailed(string pool, string reason);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Debug, Message = "Pool {Pool}: port {Port} recycled into bucket {SecurityGroups}")]
    private partial void LogRecycled(string pool, string port, string securityGroups);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Pool {Pool}: released port {Port} deleted (pool at ports_pool_max {Max})")]
    private partial void LogRecycleDeleted(string pool, string port, int max);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Pool {Pool}: released port {Port} no longer exists in Neutron; forgotten")]
    private partial void LogRecycleGone(string pool, string port);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Recycle pass failed: {Reason}")]
    private partial void LogRecycleFailed(string reason);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "Pool {Pool}: {Count} ports freed (deleted from Neutron)")]
    private partial void LogFreed(string pool, int count);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "Pool {Pool}: no pool driver recorded (populated before drivers were recorded); guessed {Driver} from the host")]
    private partial void LogDriverGuessed(string pool, string driver);
}
