using Microsoft.Extensions.Logging;

namespace Kuryr.Netlink.Rtnl;

internal sealed partial class RtNetlinkClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6020, Level = LogLevel.Debug, Message = "Netlink {Operation} of {Link} in {Namespace} refused: errno {Errno} ({KernelMessage})")]
        public static partial void RequestFailed(ILogger logger, string operation, string link, string @namespace, int errno, string? kernelMessage);

        [LoggerMessage(EventId = 6021, Level = LogLevel.Debug, Message = "Created {Kind} link {Link} in {Namespace} (peer/parent {Peer} in {PeerNamespace})")]
        public static partial void LinkCreated(ILogger logger, string kind, string link, string @namespace, string peer, string peerNamespace);

        [LoggerMessage(EventId = 6022, Level = LogLevel.Debug, Message = "Deleted {Link} in {Namespace}")]
        public static partial void LinkDeleted(ILogger logger, string link, string @namespace);

        [LoggerMessage(EventId = 6023, Level = LogLevel.Warning, Message = "Netlink {Operation} dump in {Namespace} was interrupted by concurrent changes (attempt {Attempt}); retrying")]
        public static partial void DumpInterrupted(ILogger logger, string operation, string @namespace, int attempt);
    }
}
