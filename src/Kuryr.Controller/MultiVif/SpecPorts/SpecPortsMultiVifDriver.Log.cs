using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.MultiVif.SpecPorts;

internal sealed partial class SpecPortsMultiVifDriver
{
    [LoggerMessage(EventId = 5460, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod}: claimed spec port {Port} for {Interface} on node {Node}")]
    private partial void LogClaimed(string @namespace, string pod, string @interface, string port, string node);

    [LoggerMessage(EventId = 5461, Level = LogLevel.Warning, Message = "Spec port {Port}: binding failed, claim undone")]
    private partial void LogUnclaimed(string port);
}
