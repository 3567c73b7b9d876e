namespace Kuryr.Config.Ini;

/// <summary>
/// A configuration provider that can say where a value came from (<c>file:line</c>, an
/// environment variable name), for error messages.
/// </summary>
public interface IKuryrConfigurationOrigin
{
    /// <summary>Where <c>[sectionName] optionName</c> was set, or null when this provider does not set it.</summary>
    string? DescribeOrigin(string sectionName, string optionName);
}
