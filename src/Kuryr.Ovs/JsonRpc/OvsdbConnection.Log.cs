using Microsoft.Extensions.Logging;

namespace Kuryr.Ovs.JsonRpc;

internal sealed partial class OvsdbConnection
{
    [LoggerMessage(EventId = 6200, EventName = "OvsdbConnected", Level = LogLevel.Information,
        Message = "Connected to ovsdb-server at {Endpoint}")]
    private static partial void LogConnected(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 6201, EventName = "OvsdbConnectionDead", Level = LogLevel.Warning,
        Message = "Connection to ovsdb-server at {Endpoint} is gone: {Reason}")]
    private static partial void LogConnectionDead(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 6202, EventName = "OvsdbRequestTimedOut", Level = LogLevel.Warning,
        Message = "ovsdb-server at {Endpoint} did not answer {Method} (request {RequestId}) within {Timeout}")]
    private static partial void LogTimedOut(ILogger logger, string endpoint, string method, long requestId, TimeSpan timeout);

    [LoggerMessage(EventId = 6203, EventName = "OvsdbUnexpectedResponse", Level = LogLevel.Debug,
        Message = "ovsdb-server at {Endpoint} answered request {RequestId}, which nobody waits for (timed out or cancelled)")]
    private static partial void LogUnexpectedResponse(ILogger logger, string endpoint, long requestId);

    [LoggerMessage(EventId = 6204, EventName = "OvsdbUnknownServerRequest", Level = LogLevel.Warning,
        Message = "ovsdb-server at {Endpoint} sent request {Method}, which this client does not serve; answered with an error")]
    private static partial void LogUnknownServerRequest(ILogger logger, string endpoint, string method);
}
