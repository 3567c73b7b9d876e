using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Management;

internal sealed partial class PoolManagementHandler
{
    [LoggerMessage(EventId = 4801, Level = LogLevel.Debug, Message = "Pool management: {Method} {Path} answered {Status}")]
    private partial void LogRequest(string method, string path, int status);

    [LoggerMessage(EventId = 4802, Level = LogLevel.Information, Message = "Pool management: pool {Pool} populated by driver {Driver}: {Requested} ports requested, {Created} created")]
    private partial void LogPopulated(string pool, string driver, int requested, int created);

    [LoggerMessage(EventId = 4803, Level = LogLevel.Information, Message = "Pool management: pool {Pool} freed: {Deleted} ports deleted")]
    private partial void LogFreed(string pool, int deleted);

    [LoggerMessage(EventId = 4804, Level = LogLevel.Error, Message = "Pool management: {Method} {Path} failed: {Reason}")]
    private partial void LogFailed(Exception exception, string method, string path, string reason);

    [LoggerMessage(EventId = 4805, Level = LogLevel.Debug, Message = "Pool management: {Method} {Path} aborted by the client")]
    private partial void LogAborted(string method, string path);
}
