namespace Kuryr.Config;

/// <summary>Kinds of <see cref="ConfigWarning"/>.</summary>
public enum ConfigWarningKind
{
    /// <summary>A section no options class maps (and not a known-ignored Kuryr section).</summary>
    UnknownSection,

    /// <summary>An option no options class maps (and not a known-ignored Kuryr option).</summary>
    UnknownOption,

    /// <summary>A deprecated option or option name was used.</summary>
    Deprecated,

    /// <summary>Values that work but probably not as intended.</summary>
    Questionable,
}

/// <summary>A problem that does not stop the start (logged once, at warning level).</summary>
public sealed record ConfigWarning(ConfigWarningKind Kind, string Location, string Section, string? Option, string Message)
{
    public override string ToString() =>
        Option is null ? $"{Location} [{Section}]: {Message}" : $"{Location} [{Section}] {Option}: {Message}";
}
