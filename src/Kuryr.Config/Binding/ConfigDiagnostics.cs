namespace Kuryr.Config.Binding;

/// <summary>Problems and warnings collected while binding and validating.</summary>
internal sealed class ConfigDiagnostics
{
    public List<ConfigProblem> Problems { get; } = [];

    public List<ConfigWarning> Warnings { get; } = [];

    public List<(string Section, string? Option, string Location)> Ignored { get; } = [];
}
