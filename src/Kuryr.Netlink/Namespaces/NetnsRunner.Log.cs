using Microsoft.Extensions.Logging;

namespace Kuryr.Netlink.Namespaces;

internal sealed partial class NetnsRunner
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Network namespace {Namespace} created")]
        public static partial void NamespaceCreated(ILogger logger, string @namespace);

        [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Network namespace {Namespace} deleted")]
        public static partial void NamespaceDeleted(ILogger logger, string @namespace);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Netns worker thread {Thread} could not open its home namespace")]
        public static partial void WorkerStartFailed(ILogger logger, int thread, Exception exception);

        [LoggerMessage(EventId = 6003, Level = LogLevel.Critical, Message = "Netns worker thread {Thread} could not return to its home namespace {Namespace}: {Error}")]
        public static partial void WorkerRestoreFailed(ILogger logger, int thread, string @namespace, string error);

        [LoggerMessage(EventId = 6004, Level = LogLevel.Critical, Message = "Netns worker thread {Thread} is in namespace {Current} instead of its home {Home} after setns")]
        public static partial void WorkerNotHome(ILogger logger, int thread, ulong home, ulong current);

        [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Netns worker thread {Thread} discarded; a fresh thread replaces it")]
        public static partial void WorkerDiscarded(ILogger logger, int thread);
    }
}
