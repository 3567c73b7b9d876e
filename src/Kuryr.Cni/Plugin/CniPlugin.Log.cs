using Microsoft.Extensions.Logging;

namespace Kuryr.Cni.Plugin;

internal sealed partial class CniPlugin
{
    /// <summary>kuryr-cni's log lines (EventIds 6400-6449).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6400, Level = LogLevel.Debug, Message = "{Command} container {ContainerId} pod {Namespace}/{Pod}: forwarding to kuryr-agent at {Socket}")]
        public static partial void Forwarding(ILogger logger, string command, string? containerId, string? @namespace, string? pod, string socket);

        [LoggerMessage(EventId = 6401, Level = LogLevel.Debug, Message = "{Command} container {ContainerId} pod {Namespace}/{Pod}: kuryr-agent answered HTTP {Status}")]
        public static partial void AgentAnswered(ILogger logger, string command, string? containerId, string? @namespace, string? pod, int status);

        [LoggerMessage(EventId = 6402, Level = LogLevel.Warning, Message = "{Command} container {ContainerId} pod {Namespace}/{Pod}: {Reason}")]
        public static partial void AgentUnreachable(ILogger logger, string command, string? containerId, string? @namespace, string? pod, string reason);

        [LoggerMessage(EventId = 6403, Level = LogLevel.Warning, Message = "DEL container {ContainerId} interface {IfName} netns {Netns} with kuryr-agent down: {Done}")]
        public static partial void LocalTeardown(ILogger logger, string? containerId, string? ifName, string? netns, string done);

        [LoggerMessage(EventId = 6404, Level = LogLevel.Debug, Message = "DEL container {ContainerId} pod {Namespace}/{Pod}: already gone ({Reason}), success")]
        public static partial void DelOfUnknownContainer(ILogger logger, string? containerId, string? @namespace, string? pod, string reason);

        [LoggerMessage(EventId = 6405, Level = LogLevel.Error, Message = "{Command} container {ContainerId} pod {Namespace}/{Pod}: CNI error {Code}: {Msg} ({Details})")]
        public static partial void Failed(ILogger logger, string command, string? containerId, string? @namespace, string? pod, int code, string msg, string? details);
    }
}
