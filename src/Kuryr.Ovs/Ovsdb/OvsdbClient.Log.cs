using Microsoft.Extensions.Logging;

namespace Kuryr.Ovs.Ovsdb;

internal sealed partial class OvsdbClient
{
    [LoggerMessage(EventId = 6220, EventName = "OvsdbReconnecting", Level = LogLevel.Information,
        Message = "Reopening the connection to ovsdb-server at {Endpoint} (previous one: {Reason})")]
    private static partial void LogReconnecting(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 6221, EventName = "OvsdbResending", Level = LogLevel.Information,
        Message = "{Method} never reached ovsdb-server at {Endpoint} (attempt {Attempt}: {Reason}); sending it on a new connection")]
    private static partial void LogResending(ILogger logger, string endpoint, string method, int attempt, string reason);
}
