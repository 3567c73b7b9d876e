namespace Kuryr.Config.Binding;

/// <summary>An options object and, for each option that was set, where and how.</summary>
internal sealed class BoundSection(KuryrSectionDescriptor descriptor, object instance)
{
    public KuryrSectionDescriptor Descriptor { get; } = descriptor;

    public object Instance { get; } = instance;

    /// <summary>Option name → (location, raw value) for the options that were set.</summary>
    public Dictionary<string, (string Location, string Raw)> Sources { get; } = new(StringComparer.Ordinal);

    /// <summary>Location of an option's value, or <c>(default)</c>.</summary>
    public string LocationOf(string option) =>
        Sources.TryGetValue(option, out var s) ? s.Location : ConfigLookup.DefaultLocation;

    /// <summary>A problem about <paramref name="option"/>, showing the value as it was given
    /// (or the default, formatted), masked for secrets.</summary>
    public ConfigProblem Problem(string option, string reason)
    {
        var d = Descriptor.Find(option) ?? throw new ArgumentException($"unknown option {option}", nameof(option));
        string? shown = Sources.TryGetValue(d.Name, out var s) ? s.Raw : KuryrOptionDescriptor.FormatValue(d.Property.GetValue(Instance));
        if (d.Secret && shown is not null)
        {
            shown = ConfigProblem.Masked;
        }

        return new ConfigProblem(LocationOf(d.Name), Descriptor.Name, d.Name, shown, reason);
    }

    /// <summary>A problem about a required option that is not set (no value shown).</summary>
    public ConfigProblem Missing(string option, string reason) =>
        new(LocationOf(option), Descriptor.Name, option, null, reason);
}
