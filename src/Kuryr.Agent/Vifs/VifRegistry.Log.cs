using Microsoft.Extensions.Logging;

namespace Kuryr.Agent.Vifs;

internal sealed partial class VifRegistry
{
    [LoggerMessage(EventId = 6800, Level = LogLevel.Debug, Message = "VIFs of pod {Pod} from {Source}: uid {PodUid}, {Count} interfaces, all active {Active}")]
    private partial void LogVifsSeen(string pod, string source, string podUid, int count, bool active);

    [LoggerMessage(EventId = 6801, Level = LogLevel.Information, Message = "VIFs of pod {Pod} (uid {PodUid}) ready from {Source}: {Count} interfaces after {Milliseconds:0} ms")]
    private partial void LogVifsFound(string pod, string podUid, string source, int count, double milliseconds);

    [LoggerMessage(EventId = 6802, Level = LogLevel.Warning, Message = "VIFs of pod {Pod} (uid {PodUid}) not ready within {Seconds} s: {Reason}")]
    private partial void LogVifsTimeout(string pod, string podUid, double seconds, string reason);

    [LoggerMessage(EventId = 6803, Level = LogLevel.Warning, Message = "Unreadable VIFs of pod {Pod} from {Source}: {Reason}")]
    private partial void LogBadVifs(string pod, string source, string reason);

    [LoggerMessage(EventId = 6804, Level = LogLevel.Information, Message = "Following the VIF assignments of node {Node} in Redis")]
    private partial void LogRedisFollowing(string node);

    [LoggerMessage(EventId = 6805, Level = LogLevel.Warning, Message = "Redis unavailable for the VIF assignments of node {Node} (the KuryrPort watch still works); retrying in {Seconds} s: {Reason}")]
    private partial void LogRedisUnavailable(string node, double seconds, string reason);

    [LoggerMessage(EventId = 6806, Level = LogLevel.Debug, Message = "Reading the assignment of pod {Pod} on node {Node} from Redis failed: {Reason}")]
    private partial void LogRedisReadFailed(string pod, string node, string reason);
}
