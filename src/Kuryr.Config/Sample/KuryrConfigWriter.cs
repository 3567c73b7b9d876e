using System.Text;
using Kuryr.Config.Binding;

namespace Kuryr.Config.Sample;

/// <summary>
/// Writes <c>kuryr.conf</c> text from the options classes: the documented sample
/// (<c>etc/kuryr.conf.sample</c>, every option commented out with its default and help) or the
/// effective values of a loaded <see cref="KuryrConfig"/>. What it writes reads back to the same values.
/// </summary>
public static class KuryrConfigWriter
{
    private const int Width = 79;

    /// <summary>The sample: every section and option, commented out, with default, type, allowed
    /// values and one-line help.</summary>
    public static string WriteSample()
    {
        var sb = new StringBuilder();
        AppendWrapped(sb, "# ",
            "Kuryr.Node sample configuration (kuryr.conf). Generated from the options classes in src/Kuryr.Config/Options " +
            "by tests/Kuryr.Config.Tests (Sample/KuryrConfigWriterTests), which fails when this file is out of date: do not edit it by hand.");
        sb.Append("#\n");
        AppendWrapped(sb, "# ",
            "Section names, option names and defaults are Kuryr's; \"Kuryr.Node only\" marks options Kuryr does not have. " +
            "Every option is shown commented out with its default. An environment variable KURYR_<SECTION>__<OPTION> " +
            "(e.g. KURYR_VIF_POOL__PORTS_POOL_MIN=3) overrides the file.");

        foreach (var section in KuryrOptionsCatalog.Sections)
        {
            sb.Append('\n').Append('[').Append(section.Name).Append("]\n");
            AppendWrapped(sb, "# ", section.Help);
            foreach (var option in section.Options)
            {
                sb.Append('\n');
                AppendWrapped(sb, "# ", $"{option.Help} ({TypeName(option.Kind)})");
                if (option.Choices is not null || option.Range is not null || option.Format is not null)
                {
                    AppendWrapped(sb, "# ", "Allowed: " + option.Allowed);
                }

                foreach (var old in option.DeprecatedNames)
                {
                    sb.Append("# Deprecated name: ").Append(old).Append('\n');
                }

                if (option.DeprecationReason is not null)
                {
                    AppendWrapped(sb, "# ", "Deprecated " + option.DeprecationReason);
                }

                if (option.IsKuryrNodeOption)
                {
                    sb.Append("# Kuryr.Node only.\n");
                }

                var value = option.FormatDefault();
                sb.Append('#').Append(Assignment(option.Name, value is null ? "<None>" : FormatIniValue(value)));
            }
        }

        return sb.ToString();
    }

    /// <summary>The effective values of <paramref name="config"/>, one section after the other
    /// (options that are not set are left out; secrets are written unless <paramref name="maskSecrets"/>).</summary>
    /// <exception cref="ArgumentException">A value INI cannot represent (a line break, or a list item that
    /// is empty at the end or has surrounding whitespace).</exception>
    public static string Write(KuryrConfig config, bool maskSecrets = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Write(KuryrOptionsCatalog.Sections.Select(s => config.Get(s.OptionsType)), maskSecrets);
    }

    /// <summary>Writes the given options objects (any subset of the sections).</summary>
    public static string Write(IEnumerable<object> sections, bool maskSecrets = false)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var sb = new StringBuilder();
        foreach (var instance in sections)
        {
            var section = KuryrOptionsCatalog.ForType(instance.GetType());
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append('[').Append(section.Name).Append("]\n");
            foreach (var option in section.Options)
            {
                var raw = option.Property.GetValue(instance);
                CheckRepresentable(option, raw);
                var value = KuryrOptionDescriptor.FormatValue(raw);
                if (value is null)
                {
                    continue;
                }

                if (option.Secret && maskSecrets)
                {
                    value = ConfigProblem.Masked;
                }

                sb.Append(Assignment(option.Name, FormatIniValue(value)));
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Quotes a value when oslo would otherwise change it: surrounding whitespace would be trimmed,
    /// and a value that starts and ends with the same quote character would lose them.
    /// </summary>
    public static string FormatIniValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
        {
            throw new ArgumentException("A value with a line break cannot be written on one line.", nameof(value));
        }

        var needsQuotes = value.Length > 0
            && (value.Trim().Length != value.Length || (value[0] is '"' or '\'' && value[^1] == value[0]));
        return needsQuotes ? "\"" + value + "\"" : value;
    }

    private static void CheckRepresentable(KuryrOptionDescriptor option, object? value)
    {
        void Item(string item, bool last, string what)
        {
            if (item.Trim().Length != item.Length || item.Contains(',', StringComparison.Ordinal) || (last && item.Length == 0))
            {
                throw new ArgumentException($"[{option.Section}] {option.Name}: {what} \"{ConfigProblem.Escape(item)}\" cannot be written (commas, surrounding whitespace or a trailing empty item do not survive oslo's list syntax).");
            }
        }

        switch (value)
        {
            case IDictionary<string, string> dict:
                foreach (var (k, v) in dict)
                {
                    Item(k, true, "key");
                    Item(v, false, "value");
                    if (k.Contains(':', StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"[{option.Section}] {option.Name}: key \"{ConfigProblem.Escape(k)}\" cannot contain ':'.");
                    }
                }

                break;
            case IList<string> list:
                for (var i = 0; i < list.Count; i++)
                {
                    Item(list[i], i == list.Count - 1, "item");
                }

                break;
        }
    }

    private static string Assignment(string name, string value) => value.Length == 0 ? name + " =\n" : name + " = " + value + "\n";

    private static string TypeName(KuryrOptionKind kind) => kind switch
    {
        KuryrOptionKind.IntOpt => "integer value",
        KuryrOptionKind.FloatOpt => "floating point value",
        KuryrOptionKind.BoolOpt => "boolean value",
        KuryrOptionKind.ListOpt => "list value",
        KuryrOptionKind.DictOpt => "dict value",
        _ => "string value",
    };

    private static void AppendWrapped(StringBuilder sb, string prefix, string text)
    {
        var line = new StringBuilder(prefix);
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > prefix.Length && line.Length + 1 + word.Length > Width)
            {
                sb.Append(line).Append('\n');
                line.Clear().Append(prefix);
            }

            if (line.Length > prefix.Length)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        sb.Append(line).Append('\n');
    }
}
