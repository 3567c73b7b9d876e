using Microsoft.Extensions.Logging;

namespace Kuryr.Observability.Prometheus;

internal sealed partial class PrometheusCollector
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
            Message = "Instrument {Meter}/{Instrument} is not exported: {MetricName} already names a metric of another type")]
        public static partial void InstrumentNameConflict(ILogger logger, string meter, string instrument, string metricName);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning,
            Message = "{Count} observable instrument callbacks failed during a scrape; their metrics are missing from it")]
        public static partial void ObservableCallbacksFailed(ILogger logger, int count, Exception exception);
    }
}
