using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.LeaderElection;

internal sealed partial class LeaderElector
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Leader election {Identity}: campaigning for lease {Namespace}/{Lease}")]
        public static partial void Campaigning(ILogger logger, string identity, string @namespace, string lease);

        [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Leader election {Identity}: acquired the lease from {PreviousHolder} (transitions {Transitions})")]
        public static partial void Acquired(ILogger logger, string identity, string? previousHolder, int transitions);

        [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Leader election {Identity}: started leading")]
        public static partial void StartedLeading(ILogger logger, string identity);

        [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Leader election {Identity}: stopped leading ({Reason})")]
        public static partial void StoppedLeading(ILogger logger, string identity, string reason);

        [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Leader election {Identity}: could not renew within {RenewDeadline}")]
        public static partial void RenewFailed(ILogger logger, string identity, TimeSpan renewDeadline);

        [LoggerMessage(EventId = 3205, Level = LogLevel.Debug, Message = "Leader election {Identity}: lost a write race (409)")]
        public static partial void LostRace(ILogger logger, string identity);

        [LoggerMessage(EventId = 3206, Level = LogLevel.Warning, Message = "Leader election {Identity}: attempt failed")]
        public static partial void AttemptFailed(ILogger logger, string identity, Exception exception);

        [LoggerMessage(EventId = 3207, Level = LogLevel.Information, Message = "Leader election {Identity}: released the lease")]
        public static partial void Released(ILogger logger, string identity);

        [LoggerMessage(EventId = 3208, Level = LogLevel.Warning, Message = "Leader election {Identity}: releasing the lease failed")]
        public static partial void ReleaseFailed(ILogger logger, string identity, Exception exception);

        [LoggerMessage(EventId = 3209, Level = LogLevel.Information, Message = "Leader election {Identity}: the leader is now {Leader}")]
        public static partial void NewLeader(ILogger logger, string identity, string? leader);

        [LoggerMessage(EventId = 3210, Level = LogLevel.Error, Message = "Leader election {Identity}: an event handler failed")]
        public static partial void HandlerFailed(ILogger logger, string identity, Exception exception);
    }
}
