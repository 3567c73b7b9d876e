using Microsoft.Extensions.Logging;

namespace Kuryr.Agent.Binding;

internal sealed partial class VifPlugger
{
    [LoggerMessage(EventId = 6600, Level = LogLevel.Information, Message = "Plugged {Interface} (port {Port}, driver {Driver}) into pod {Namespace}/{Pod}")]
    private static partial void LogPlugged(ILogger logger, string @namespace, string pod, string @interface, string port, string driver);

    [LoggerMessage(EventId = 6601, Level = LogLevel.Warning, Message = "Plugging pod {Namespace}/{Pod} into {Netns} failed; removing what this attempt made")]
    private static partial void LogPlugFailed(ILogger logger, Exception exception, string @namespace, string pod, string netns);

    [LoggerMessage(EventId = 6602, Level = LogLevel.Warning, Message = "Cleanup of {Interface} (port {Port}) after a failed plug failed")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string @interface, string port);

    [LoggerMessage(EventId = 6603, Level = LogLevel.Information, Message = "Unplugged {Interface} (port {Port}, driver {Driver}) of container {Container}")]
    private static partial void LogUnplugged(ILogger logger, string container, string @interface, string port, string driver);

    [LoggerMessage(EventId = 6604, Level = LogLevel.Warning, Message = "Container {Container}: VIF {Interface} is unusable on unplug; removing only the pod interface")]
    private static partial void LogBadVifOnUnplug(ILogger logger, Exception exception, string container, string @interface);
}
