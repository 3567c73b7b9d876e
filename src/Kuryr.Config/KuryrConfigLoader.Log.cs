using Microsoft.Extensions.Logging;

namespace Kuryr.Config;

internal sealed partial class KuryrConfigLoader
{
    [LoggerMessage(EventId = 1001, EventName = "ConfigUnknownSection", Level = LogLevel.Warning,
        Message = "{Location} [{Section}]: unknown section; its options are ignored")]
    private static partial void LogUnknownSection(ILogger logger, string location, string section);

    [LoggerMessage(EventId = 1002, EventName = "ConfigUnknownOption", Level = LogLevel.Warning,
        Message = "{Location} [{Section}] {Option}: {Detail}")]
    private static partial void LogUnknownOption(ILogger logger, string location, string section, string option, string detail);

    [LoggerMessage(EventId = 1003, EventName = "ConfigDeprecatedOption", Level = LogLevel.Warning,
        Message = "{Location} [{Section}] {Option}: {Detail}")]
    private static partial void LogDeprecated(ILogger logger, string location, string section, string option, string detail);

    [LoggerMessage(EventId = 1004, EventName = "ConfigQuestionableValue", Level = LogLevel.Warning,
        Message = "{Location} [{Section}] {Option}: {Detail}")]
    private static partial void LogQuestionable(ILogger logger, string location, string section, string option, string detail);

    [LoggerMessage(EventId = 1005, EventName = "ConfigIgnoredOption", Level = LogLevel.Debug,
        Message = "{Location} [{Section}] {Option}: Kuryr option not used by Kuryr.Node; ignored")]
    private static partial void LogIgnored(ILogger logger, string location, string section, string option);

    [LoggerMessage(EventId = 1006, EventName = "ConfigInvalidValue", Level = LogLevel.Error,
        Message = "{Location} [{Section}] {Option}: {Reason}")]
    private static partial void LogProblem(ILogger logger, string location, string section, string option, string reason);
}
