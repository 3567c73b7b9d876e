using Microsoft.Extensions.Logging;

namespace Kuryr.Neutron;

internal sealed partial class NeutronClient
{
    /// <summary>Event ids 2100–2149 (the transport uses 2000–2099).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, EventName = "NeutronExtensionsLoaded",
            Message = "Neutron has {Count} extensions; tags on bulk create: {TagOnBulkCreate}")]
        public static partial void ExtensionsLoaded(ILogger logger, int count, bool tagOnBulkCreate);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Information, EventName = "NeutronTaggingAfterCreate",
            Message = "Neutron lacks tag-ports-during-bulk-creation: tagging {Count} ports after {Operation}")]
        public static partial void TaggingAfterCreate(ILogger logger, string operation, int count);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, EventName = "NeutronCreateRolledBack",
            Message = "Tagging after {Operation} failed: deleting the {Count} ports just created")]
        public static partial void RollingBack(ILogger logger, string operation, int count, Exception exception);

        [LoggerMessage(EventId = 2104, Level = LogLevel.Error, EventName = "NeutronRollbackFailed",
            Message = "Could not delete port {PortId} after a failed {Operation}: it may be left without tags")]
        public static partial void RollbackFailed(ILogger logger, string operation, string portId, Exception exception);

        [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, EventName = "NeutronAlreadyGone",
            Message = "{Operation} {Id}: already gone ({ErrorType})")]
        public static partial void AlreadyGone(ILogger logger, string operation, string id, string? errorType);

        [LoggerMessage(EventId = 2106, Level = LogLevel.Debug, EventName = "NeutronListed",
            Message = "{Operation} read {Pages} pages")]
        public static partial void Listed(ILogger logger, string operation, int pages);

        [LoggerMessage(EventId = 2107, Level = LogLevel.Debug, EventName = "NeutronPortsCreated",
            Message = "{Operation} created {Count} ports (tags in POST: {TagsInPost})")]
        public static partial void PortsCreated(ILogger logger, string operation, int count, bool tagsInPost);
    }
}
