using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Management;

internal sealed partial class PoolManagementServer
{
    [LoggerMessage(EventId = 4810, Level = LogLevel.Information, Message = "Pool management API listening on unix socket {SocketPath} (mode 0660)")]
    private partial void LogListening(string socketPath);

    [LoggerMessage(EventId = 4811, Level = LogLevel.Warning, Message = "Pool management: removed the stale socket file {SocketPath} left by a previous process")]
    private partial void LogStaleSocketRemoved(string socketPath);

    [LoggerMessage(EventId = 4812, Level = LogLevel.Information, Message = "Pool management API on {SocketPath} stopped")]
    private partial void LogStopped(string socketPath);
}
