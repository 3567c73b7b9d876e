using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.Client;

internal sealed partial class KubernetesClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Kubernetes {Method} {Path} failed: {StatusCode} {Reason}: {ApiMessage}")]
        public static partial void RequestFailed(ILogger logger, string method, string path, int statusCode, string reason, string apiMessage);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Kubernetes {Method} {Path}: no answer: {Error}")]
        public static partial void RequestError(ILogger logger, string method, string path, string error);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Kubernetes {Method} {Path}: 401, re-reading the token and retrying once")]
        public static partial void UnauthorizedRetry(ILogger logger, string method, string path);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Watch of {Resource} in namespace '{Namespace}' started at resourceVersion '{ResourceVersion}'")]
        public static partial void WatchStarted(ILogger logger, string resource, string @namespace, string resourceVersion);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Watch of {Resource} in namespace '{Namespace}' ended after {EventCount} events")]
        public static partial void WatchEnded(ILogger logger, string resource, string @namespace, int eventCount);

        [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Finalizer {Operation} of {Finalizer} on {Resource} {Namespace}/{Name} met a conflict (attempt {Attempt}); re-reading")]
        public static partial void FinalizerConflict(ILogger logger, string operation, string finalizer, string resource, string @namespace, string name, int attempt);
    }
}
