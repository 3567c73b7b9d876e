using Microsoft.Extensions.Logging;

namespace Kuryr.Ovs.Ports;

internal sealed partial class OvsClient
{
    [LoggerMessage(EventId = 6240, EventName = "OvsPortAdded", Level = LogLevel.Information,
        Message = "Added port {Port} to bridge {Bridge} (Port row {PortUuid}; replaced an existing one: {Replaced})")]
    private static partial void LogPortAdded(ILogger logger, string bridge, string port, Guid portUuid, bool replaced);

    [LoggerMessage(EventId = 6241, EventName = "OvsPortDeleted", Level = LogLevel.Information,
        Message = "Deleted port {Port} (Port row {PortUuid}) from bridge {Bridge}")]
    private static partial void LogPortDeleted(ILogger logger, string bridge, string port, Guid portUuid);

    [LoggerMessage(EventId = 6242, EventName = "OvsPortAbsent", Level = LogLevel.Debug,
        Message = "del-port {Port} on bridge {Bridge}: no such port (--if-exists)")]
    private static partial void LogPortAbsent(ILogger logger, string bridge, string port);

    [LoggerMessage(EventId = 6243, EventName = "OvsConflictRetry", Level = LogLevel.Debug,
        Message = "{Operation} of port {Port} on bridge {Bridge} raced a concurrent change (attempt {Attempt}): {Reason}; re-reading")]
    private static partial void LogConflict(ILogger logger, string operation, string bridge, string port, int attempt, string reason);

    [LoggerMessage(EventId = 6244, EventName = "OvsConnectionRetry", Level = LogLevel.Information,
        Message = "{Operation} of port {Port} on bridge {Bridge} lost its connection (attempt {Attempt}): {Reason}; doing it again")]
    private static partial void LogConnectionRetry(ILogger logger, string operation, string bridge, string port, int attempt, string reason);
}
