using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.MultiVif.Npwg;

internal sealed partial class NpwgMultiVifDriver
{
    [LoggerMessage(EventId = 5410, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod}: {Interface} on network attachment {Network}, subnet {Subnet}, driver {Driver}")]
    private partial void LogSelected(string @namespace, string pod, string @interface, string network, string subnet, string driver);
}
