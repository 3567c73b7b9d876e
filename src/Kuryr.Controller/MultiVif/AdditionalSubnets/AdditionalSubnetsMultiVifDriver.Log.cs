using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.MultiVif.AdditionalSubnets;

internal sealed partial class AdditionalSubnetsMultiVifDriver
{
    [LoggerMessage(EventId = 5440, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod}: {Interface} on additional subnet {Subnet}")]
    private partial void LogSubnet(string @namespace, string pod, string @interface, string subnet);
}
