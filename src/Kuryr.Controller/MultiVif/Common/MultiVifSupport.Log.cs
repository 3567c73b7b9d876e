using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.MultiVif.Common;

internal sealed partial class MultiVifSupport
{
    [LoggerMessage(EventId = 5400, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Pod}: annotation {Annotation} entry \"{Entry}\" refused: {Problem}")]
    private partial void LogRefused(string @namespace, string pod, string annotation, string entry, string problem);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod}: additional interface {Interface} got pooled port {Port} from pool {Pool}")]
    private partial void LogPooled(string @namespace, string pod, string @interface, string port, string pool);
}
