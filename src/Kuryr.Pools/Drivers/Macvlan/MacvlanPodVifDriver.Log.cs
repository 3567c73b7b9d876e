using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Drivers.Macvlan;

internal sealed partial class MacvlanPodVifDriver
{
    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Pool {Pool}: created {Count} nested-macvlan ports, allowed on VM port {VmPort} (pairs {Pairs})")]
    private partial void LogCreated(string pool, string vmPort, int count, IReadOnlyList<AddressPairs.Pair> pairs);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Pool {Pool}: nested-macvlan creation on VM port {VmPort} failed ({Reason}); rolling back {Count} ports")]
    private partial void LogCreateRolledBack(string pool, string vmPort, int count, string reason);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Information, Message = "Pool {Pool}: port {Port} deleted (existed: {Existed})")]
    private partial void LogDeleted(string pool, string port, bool existed);

    [LoggerMessage(EventId = 7204, Level = LogLevel.Information, Message = "Pool {Pool}: port {Port} is already gone")]
    private partial void LogAlreadyGone(string pool, string port);

    [LoggerMessage(EventId = 7205, Level = LogLevel.Warning, Message = "VM port {VmPort} of node {Node}: revision {Revision} changed before the pairs {What} (attempt {Attempt} of {Attempts}); re-reading")]
    private partial void LogRevisionConflict(string vmPort, string node, string what, int attempt, int attempts, long revision);

    [LoggerMessage(EventId = 7206, Level = LogLevel.Information, Message = "VM port {VmPort} of node {Node} is gone; no pair to remove")]
    private partial void LogVmPortGone(string vmPort, string node);

    [LoggerMessage(EventId = 7207, Level = LogLevel.Warning, Message = "VM port {VmPort} of node {Node}: pair {Ip}/{Mac} held the IP of a new port with another MAC (a stale pair); replaced")]
    private partial void LogStalePairReplaced(string vmPort, string node, string ip, string mac);

    [LoggerMessage(EventId = 7208, Level = LogLevel.Warning, Message = "VM port {VmPort} of node {Node}: restoring {Count} missing pairs of our ports")]
    private partial void LogPairsRestored(string vmPort, string node, int count);

    [LoggerMessage(EventId = 7209, Level = LogLevel.Warning, Message = "VM port {VmPort} of node {Node}: removing stale pairs {Pairs} (no port holds their MAC)")]
    private partial void LogStalePairsRemoved(string vmPort, string node, string pairs);

    [LoggerMessage(EventId = 7210, Level = LogLevel.Warning, Message = "VM port {VmPort}: reconciling its pairs failed ({Reason}); the next discovery tries again")]
    private partial void LogReconcileFailed(string vmPort, string reason);

    [LoggerMessage(EventId = 7211, Level = LogLevel.Warning, Message = "Port {Port}: its VM port {VmPort} is gone or it is malformed; not in any pool (GC deletes it)")]
    private partial void LogUnusable(string port, string vmPort);

    [LoggerMessage(EventId = 7212, Level = LogLevel.Information, Message = "nested-macvlan discovery: {Count} ports on {VmPorts} VM ports")]
    private partial void LogDiscovered(int count, int vmPorts);

    [LoggerMessage(EventId = 7213, Level = LogLevel.Warning, Message = "Pool {Pool}: port {Port} names no VM port and the node's cannot be found ({Reason}); deleting it without a pair removal")]
    private partial void LogNoVmPortForDelete(string pool, string port, string reason);

    [LoggerMessage(EventId = 7214, Level = LogLevel.Warning, Message = "Rollback of {Resource} failed ({Reason}); discovery/GC finish it")]
    private partial void LogRollbackFailed(string resource, string reason);
}
