using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Drivers.Neutron;

internal sealed partial class NeutronPoolDriver
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Pool {Pool}: bulk creation failed after Neutron created {Count} ports; deleting them: {Reason}")]
    private partial void LogCreateRolledBack(string pool, int count, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Port {Port}: could not delete it while rolling back a bulk creation (garbage collection will): {Reason}")]
    private partial void LogRollbackDeleteFailed(string port, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Port {Port}: security groups set to {SecurityGroups}")]
    private partial void LogSecurityGroupsUpdated(string port, string securityGroups);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Pool {Pool}: port {Port} deleted from Neutron (existed: {Existed})")]
    private partial void LogPortDeleted(string pool, string port, bool existed);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Port {Port}: discovered without binding host/project/network/fixed IP (host \"{Host}\"); not a pool port")]
    private partial void LogDiscoverSkipped(string port, string host);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Port {Port}: discovered but no VIF can be built: {Reason}")]
    private partial void LogDiscoverNoVif(string port, string reason);
}
