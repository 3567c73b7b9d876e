using Microsoft.Extensions.Logging;

namespace Kuryr.Neutron.Auth;

internal sealed partial class KeystoneAuthenticator
{
    [LoggerMessage(EventId = 2101, EventName = "KeystoneAuthenticated", Level = LogLevel.Information,
        Message = "Keystone {AuthUrl} issued a token for {Identity} (project {ProjectId}); Neutron endpoint {Endpoint}; expires {ExpiresAt:O}, refresh at {RefreshAt:O}")]
    private static partial void LogAuthenticated(ILogger logger, Uri authUrl, string identity, string? projectId, Uri endpoint, DateTimeOffset expiresAt, DateTimeOffset refreshAt);

    [LoggerMessage(EventId = 2102, EventName = "KeystoneRejected", Level = LogLevel.Warning,
        Message = "Keystone {AuthUrl} answered {Status} (request {RequestId}) to the token request for {Identity}: {Reason}")]
    private static partial void LogKeystoneRejected(ILogger logger, Uri authUrl, string identity, int status, string? requestId, string reason);

    [LoggerMessage(EventId = 2103, EventName = "KeystoneNoAnswer", Level = LogLevel.Warning,
        Message = "Keystone {AuthUrl} did not answer the token request for {Identity}: {Reason}")]
    private static partial void LogKeystoneNoAnswer(ILogger logger, Uri authUrl, string identity, string reason);
}
