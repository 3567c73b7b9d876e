using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.MultiVif.Npwg;

internal sealed partial class PodPorts
{
    [LoggerMessage(EventId = 5420, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod}: created port {Port} for {Interface} (network attachment {Network})")]
    private partial void LogCreated(string @namespace, string pod, string @interface, string port, string network);

    [LoggerMessage(EventId = 5421, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod}: reusing port {Port} made earlier for {Interface} (network attachment {Network})")]
    private partial void LogFound(string @namespace, string pod, string @interface, string port, string network);

    [LoggerMessage(EventId = 5422, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod}: port {Port} of {Interface} attached to trunk {Trunk} with VLAN {Vlan}")]
    private partial void LogAttached(string @namespace, string pod, string @interface, string port, string trunk, int vlan);
}
