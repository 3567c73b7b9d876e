using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.Handlers.KuryrPorts;

internal sealed partial class KuryrPortHandler
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Warning, Message = "KuryrPort {Namespace}/{Pod}: pod uid {PodUid} is gone; deleting the KuryrPort")]
    private partial void LogPodMissing(string @namespace, string pod, string podUid);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Debug, Message = "KuryrPort {Namespace}/{Pod}: no status.hostIP yet on node {Node}; retrying")]
    private partial void LogNoHostIp(string @namespace, string pod, string node);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "KuryrPort {Namespace}/{Pod}: no port for eth0: {Problem}")]
    private partial void LogRequestFailed(string @namespace, string pod, string problem);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Information, Message = "KuryrPort {Namespace}/{Pod}: wrote {Count} VIF(s); eth0 = port {Port} from pool {Pool}")]
    private partial void LogVifsWritten(string @namespace, string pod, string port, string pool, int count);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Information, Message = "KuryrPort {Namespace}/{Pod}: activated VIFs (all active: {AllActive})")]
    private partial void LogActivated(string @namespace, string pod, bool allActive);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Debug, Message = "KuryrPort {Namespace}/{Pod}: waiting for its ports to become ACTIVE")]
    private partial void LogWaitingForActive(string @namespace, string pod);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Information, Message = "KuryrPort {Namespace}/{Pod} {Interface}: released port {Port} ({Kind}, pool {Pool})")]
    private partial void LogReleased(string @namespace, string pod, string @interface, string port, string kind, string pool);

    [LoggerMessage(EventId = 5307, Level = LogLevel.Information, Message = "KuryrPort {Namespace}/{Pod} (pod uid {PodUid}) finalized; pod gone: {PodGone}")]
    private partial void LogFinalized(string @namespace, string pod, string podUid, bool podGone);
}
