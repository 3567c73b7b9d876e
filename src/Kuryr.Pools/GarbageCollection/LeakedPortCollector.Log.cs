using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.GarbageCollection;

internal sealed partial class LeakedPortCollector
{
    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "Garbage collection pass abandoned: a listing failed, nothing deleted ({SeenOnce} ports stay seen once)")]
    private partial void LogAborted(Exception exception, int seenOnce);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "Leaked port candidate {PortId} seen once: deleted if still leaked next pass")]
    private partial void LogSeenOnce(string portId);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "Deleted leaked port {PortId} (ours, in no pool and no KuryrPort, in two consecutive listings)")]
    private partial void LogDeleted(string portId);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Error, Message = "Could not delete leaked port {PortId}; trying again next pass")]
    private partial void LogDeleteFailed(Exception exception, string portId);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Information, Message = "Garbage collection pass: {Listed} tagged ports, {Candidates} candidates, {Deleted} deleted, {TooYoung} within the grace period")]
    private partial void LogPass(int listed, int candidates, int deleted, int tooYoung);

    [LoggerMessage(EventId = 4406, Level = LogLevel.Error, Message = "Garbage collection pass failed")]
    private partial void LogPassFailed(Exception exception);
}
