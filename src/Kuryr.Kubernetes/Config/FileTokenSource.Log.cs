using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.Config;

public sealed partial class FileTokenSource
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Bearer token re-read from {TokenFile}: it rotated")]
        public static partial void TokenRotated(ILogger logger, string tokenFile);
    }
}
