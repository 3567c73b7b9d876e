using Microsoft.Extensions.Logging;

namespace Kuryr.Neutron.Transport;

internal sealed partial class NeutronTransport
{
    [LoggerMessage(EventId = 2001, EventName = "NeutronRequestSucceeded", Level = LogLevel.Debug,
        Message = "Neutron {Operation} {Method} {Path} -> {Status} (request {RequestId}) in {DurationMs:0.0} ms")]
    private static partial void LogSucceeded(ILogger logger, string operation, string method, string path, int status, string? requestId, double durationMs);

    [LoggerMessage(EventId = 2002, EventName = "NeutronRequestFailed", Level = LogLevel.Warning,
        Message = "Neutron {Operation} {Method} {Path} -> {Status} (request {RequestId}) in {DurationMs:0.0} ms")]
    private static partial void LogFailed(ILogger logger, string operation, string method, string path, int status, string? requestId, double durationMs);

    [LoggerMessage(EventId = 2003, EventName = "NeutronRequestNoAnswer", Level = LogLevel.Warning,
        Message = "Neutron {Operation} {Method} {Path} -> no answer after {DurationMs:0.0} ms: {Reason}")]
    private static partial void LogNoAnswer(ILogger logger, string operation, string method, string path, double durationMs, string reason);

    [LoggerMessage(EventId = 2004, EventName = "NeutronRequestRetry", Level = LogLevel.Warning,
        Message = "Neutron {Operation} {Method} {Path} failed with {Status} (request {RequestId}); retry {Attempt} of {MaxRetries} in {DelaySeconds:0.###} s: {Reason}")]
    private static partial void LogRetry(ILogger logger, string operation, string method, string path, int status, string? requestId, int attempt, int maxRetries, double delaySeconds, string reason);

    [LoggerMessage(EventId = 2005, EventName = "NeutronReauthenticating", Level = LogLevel.Warning,
        Message = "Neutron {Operation} {Method} {Path} -> 401 (request {RequestId}); re-authenticating once and replaying")]
    private static partial void LogReauthenticating(ILogger logger, string operation, string method, string path, string? requestId);
}
