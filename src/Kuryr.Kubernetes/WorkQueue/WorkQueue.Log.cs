using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.WorkQueue;

internal sealed partial class WorkQueue<TKey>
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Work queue {Queue}: key {Key} requeued (retry {Retry}) after {Delay}")]
        public static partial void Requeued(ILogger logger, string queue, object key, int retry, TimeSpan delay);

        [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Work queue {Queue}: shutting down")]
        public static partial void ShuttingDown(ILogger logger, string queue);
    }
}
