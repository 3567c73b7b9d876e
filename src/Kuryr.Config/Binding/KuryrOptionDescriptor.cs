using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Kuryr.Config.Options;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Binding;

/// <summary>One option of a section: Kuryr name, type, default, help and constraints.</summary>
public sealed class KuryrOptionDescriptor
{
    internal KuryrOptionDescriptor(string section, PropertyInfo property, object defaults, OptionMetadata? overlay)
    {
        Section = section;
        Property = property;
        Name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name;
        Kind = KindOf(property.PropertyType);
        IsNullable = Kind == KuryrOptionKind.StrOpt && new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable;
        Help = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? overlay?.Help ?? string.Empty;
        Secret = property.GetCustomAttribute<KuryrSecretAttribute>() is not null || overlay?.Secret == true;
        DeprecatedNames = [.. property.GetCustomAttributes<KuryrDeprecatedNameAttribute>().Select(a => a.Name)];
        DeprecationReason = property.GetCustomAttribute<KuryrDeprecatedAttribute>()?.Reason;
        Choices = property.GetCustomAttribute<KuryrChoicesAttribute>()?.Choices ?? overlay?.Choices;
        Range = property.GetCustomAttribute<KuryrRangeAttribute>() ?? overlay?.Range;
        Format = property.GetCustomAttribute<KuryrFormatAttribute>() ?? overlay?.Format;
        IsKuryrNodeOption = property.GetCustomAttribute<KuryrNodeOptionAttribute>() is not null || overlay?.KuryrNodeOption == true;
        DefaultValue = property.GetValue(defaults);
    }

    /// <summary>Section name, e.g. <c>vif_pool</c>.</summary>
    public string Section { get; }

    /// <summary>Kuryr's option name, e.g. <c>ports_pool_min</c>.</summary>
    public string Name { get; }

    /// <summary>The options-class property.</summary>
    public PropertyInfo Property { get; }

    public KuryrOptionKind Kind { get; }

    /// <summary>A <c>string?</c> option: an empty value means "not set" (null).</summary>
    public bool IsNullable { get; }

    /// <summary>One-line help.</summary>
    public string Help { get; }

    /// <summary>Never printed.</summary>
    public bool Secret { get; }

    /// <summary>Older names still read (with a warning).</summary>
    public IReadOnlyList<string> DeprecatedNames { get; }

    /// <summary>Non-null when the option itself is deprecated.</summary>
    public string? DeprecationReason { get; }

    public IReadOnlyList<string>? Choices { get; }

    public KuryrRangeAttribute? Range { get; }

    public KuryrFormatAttribute? Format { get; }

    /// <summary>Kuryr.Node's own option (not in Kuryr).</summary>
    public bool IsKuryrNodeOption { get; }

    /// <summary>The value of a freshly constructed options object.</summary>
    public object? DefaultValue { get; }

    /// <summary>What a value must look like, e.g. <c>an integer &gt;= 0</c> (used in error messages
    /// after "must be").</summary>
    public string Allowed => Kind switch
    {
        KuryrOptionKind.BoolOpt => "a boolean (true/false, yes/no, on/off, 1/0)",
        KuryrOptionKind.IntOpt => "an integer" + DescribeRange(),
        KuryrOptionKind.FloatOpt => "a number" + DescribeRange(),
        KuryrOptionKind.ListOpt => "a comma-separated list" + DescribeItems(" of: ", " of "),
        KuryrOptionKind.DictOpt => "comma-separated key:value pairs" + (Format is null ? string.Empty : " whose values are each " + FormatRules.Describe(Format.Format)),
        _ => Choices is not null ? "one of: " + string.Join(", ", Choices)
            : Format is not null ? FormatRules.Describe(Format.Format) + (Format.AllowEmpty || IsNullable ? " (or empty)" : string.Empty)
            : "a string",
    };

    /// <summary>The default formatted as it would be written in <c>kuryr.conf</c> (null: not set).</summary>
    public string? FormatDefault() => FormatValue(DefaultValue);

    /// <summary>Formats a value of this option's type as oslo would read it back (null: not set).</summary>
    public static string? FormatValue(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => s,
        IDictionary<string, string> dict => string.Join(",", dict.Select(kv => kv.Key + ":" + kv.Value)),
        IEnumerable<string> list => string.Join(",", list),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    public override string ToString() => $"[{Section}] {Name}";

    private string DescribeRange()
    {
        if (Range is null)
        {
            return string.Empty;
        }

        var min = Range.Minimum.ToString(CultureInfo.InvariantCulture);
        var text = double.IsPositiveInfinity(Range.Maximum)
            ? (Range.MinimumExclusive ? " > " : " >= ") + min
            : $" between {min} and {Range.Maximum.ToString(CultureInfo.InvariantCulture)}";
        if (!double.IsNaN(Range.AlsoAllowed))
        {
            text += ", or " + Range.AlsoAllowed.ToString(CultureInfo.InvariantCulture);
        }

        return text;
    }

    private string DescribeItems(string choicesLead, string formatLead) =>
        Choices is not null ? choicesLead + string.Join(", ", Choices)
        : Format is not null ? formatLead + "items that are each " + FormatRules.Describe(Format.Format)
        : string.Empty;

    private static KuryrOptionKind KindOf(Type t)
    {
        if (t == typeof(string))
        {
            return KuryrOptionKind.StrOpt;
        }

        if (t == typeof(int))
        {
            return KuryrOptionKind.IntOpt;
        }

        if (t == typeof(double))
        {
            return KuryrOptionKind.FloatOpt;
        }

        if (t == typeof(bool))
        {
            return KuryrOptionKind.BoolOpt;
        }

        if (t == typeof(IList<string>) || t == typeof(List<string>) || t == typeof(IReadOnlyList<string>))
        {
            return KuryrOptionKind.ListOpt;
        }

        if (t == typeof(IDictionary<string, string>) || t == typeof(Dictionary<string, string>) || t == typeof(IReadOnlyDictionary<string, string>))
        {
            return KuryrOptionKind.DictOpt;
        }

        throw new NotSupportedException($"Option property type {t} is not supported by the Kuryr config binder.");
    }
}

/// <summary>Help and constraints for an options class this project does not own (its properties
/// carry no attributes of ours).</summary>
internal sealed record OptionMetadata(
    string Help,
    bool Secret = false,
    IReadOnlyList<string>? Choices = null,
    KuryrRangeAttribute? Range = null,
    KuryrFormatAttribute? Format = null,
    bool KuryrNodeOption = false);
