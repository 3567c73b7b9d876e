using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Prepopulation;

internal sealed partial class NamespacePrepopulator
{
    [LoggerMessage(EventId = 4501, Level = LogLevel.Information, Message = "KuryrNetwork {Namespace}/{Name} changed while marking it populated (attempt {Attempt}): re-reading")]
    private partial void LogMarkRaced(string @namespace, string name, int attempt);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Information, Message = "Namespace {Namespace}: pool {Pool} prepopulated with {Added} ports")]
    private partial void LogPoolPopulated(string @namespace, string pool, int added);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Warning, Message = "Prepopulation of KuryrNetwork {Namespace}/{Name} failed: marking it not populated so it is retried")]
    private partial void LogPopulateFailed(Exception exception, string @namespace, string name);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Error, Message = "Could not set KuryrNetwork {Namespace}/{Name} status.populated back to false")]
    private partial void LogUnmarkFailed(Exception exception, string @namespace, string name);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Debug, Message = "Node {Node} skipped for prepopulation: {Reason}")]
    private partial void LogNodeSkipped(string node, string reason);

    [LoggerMessage(EventId = 4506, Level = LogLevel.Debug, Message = "Node {Node} skipped for prepopulation: no pool driver is mapped to its pod_vif {PodVif}")]
    private partial void LogNodeNoDriver(string node, string podVif);

    [LoggerMessage(EventId = 4507, Level = LogLevel.Debug, Message = "Node {Node} skipped for prepopulation: pool driver {Driver} is not configured or not pooled")]
    private partial void LogNodeNotPooled(string node, string driver);
}
