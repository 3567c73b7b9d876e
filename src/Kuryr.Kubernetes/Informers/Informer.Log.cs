using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.Informers;

internal sealed partial class Informer<T>
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Informer {Informer}: listed {Count} objects at resourceVersion {ResourceVersion}")]
        public static partial void Listed(ILogger logger, string informer, int count, string resourceVersion);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Informer {Informer}: resourceVersion {ResourceVersion} expired (410 Gone); relisting")]
        public static partial void Expired(ILogger logger, string informer, string? resourceVersion);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Informer {Informer}: {Operation} failed; retrying in {Delay}")]
        public static partial void Failed(ILogger logger, string informer, string operation, TimeSpan delay, Exception exception);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Informer {Informer}: a handler failed on {Namespace}/{Name}")]
        public static partial void HandlerFailed(ILogger logger, string informer, string? @namespace, string? name, Exception exception);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Trace, Message = "Informer {Informer}: bookmark at resourceVersion {ResourceVersion}")]
        public static partial void Bookmark(ILogger logger, string informer, string resourceVersion);
    }
}
