namespace Kuryr.Config.Binding;

/// <summary>
/// Binds one section: converts every raw string by the property type, checks choices, ranges and
/// formats, and records every problem (never stops at the first one).
/// </summary>
internal static class KuryrOptionsBinder
{
    public static BoundSection Bind(KuryrSectionDescriptor section, ConfigLookup lookup, ConfigDiagnostics diagnostics) =>
        BindInto(section, Activator.CreateInstance(section.OptionsType)!, lookup, diagnostics);

    public static BoundSection BindInto(KuryrSectionDescriptor section, object target, ConfigLookup lookup, ConfigDiagnostics diagnostics)
    {
        var bound = new BoundSection(section, target);
        foreach (var option in section.Options)
        {
            var usedName = option.Name;
            var raw = lookup.Get(section.Name, option.Name);
            if (raw is null)
            {
                foreach (var old in option.DeprecatedNames)
                {
                    raw = lookup.Get(section.Name, old);
                    if (raw is not null)
                    {
                        usedName = old;
                        break;
                    }
                }
            }
            else
            {
                foreach (var old in option.DeprecatedNames)
                {
                    if (lookup.Get(section.Name, old) is not null)
                    {
                        diagnostics.Warnings.Add(new ConfigWarning(ConfigWarningKind.Deprecated, lookup.Origin(section.Name, old), section.Name, old,
                            $"deprecated name of {option.Name}, which is also set; this value is ignored"));
                    }
                }
            }

            if (raw is null)
            {
                continue;
            }

            var location = lookup.Origin(section.Name, usedName);
            bound.Sources[option.Name] = (location, raw);
            if (!string.Equals(usedName, option.Name, StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Warnings.Add(new ConfigWarning(ConfigWarningKind.Deprecated, location, section.Name, usedName,
                    $"deprecated name; use {option.Name}"));
            }

            if (option.DeprecationReason is not null)
            {
                diagnostics.Warnings.Add(new ConfigWarning(ConfigWarningKind.Deprecated, location, section.Name, option.Name, "deprecated " + option.DeprecationReason));
            }

            var shown = option.Secret ? ConfigProblem.Masked : raw;
            var reasons = Convert(option, raw, out var value);
            foreach (var reason in reasons)
            {
                diagnostics.Problems.Add(new ConfigProblem(location, section.Name, option.Name, shown, reason));
            }

            if (value is not null || option.IsNullable)
            {
                option.Property.SetValue(target, value);
            }
        }

        return bound;
    }

    /// <summary>Converts and checks one value; yields the reasons it is not acceptable.</summary>
    internal static List<string> Convert(KuryrOptionDescriptor option, string raw, out object? value)
    {
        var errors = new List<string>();
        value = null;
        switch (option.Kind)
        {
            case KuryrOptionKind.BoolOpt:
                if (OsloValueParser.TryParseBoolean(raw, out var b))
                {
                    value = b;
                }
                else
                {
                    errors.Add("must be " + option.Allowed);
                }

                break;

            case KuryrOptionKind.IntOpt:
                if (OsloValueParser.TryParseInteger(raw, out var i) && InRange(option, i))
                {
                    value = i;
                }
                else
                {
                    errors.Add("must be " + option.Allowed);
                }

                break;

            case KuryrOptionKind.FloatOpt:
                if (OsloValueParser.TryParseFloat(raw, out var d) && InRange(option, d))
                {
                    value = d;
                }
                else
                {
                    errors.Add("must be " + option.Allowed);
                }

                break;

            case KuryrOptionKind.ListOpt:
                var list = OsloValueParser.ParseList(raw);
                foreach (var item in list)
                {
                    if (ItemProblem(option, item) is { } why)
                    {
                        errors.Add($"item \"{ConfigProblem.Escape(item)}\" {why}; must be {option.Allowed}");
                    }
                }

                value = list;
                break;

            case KuryrOptionKind.DictOpt:
                if (OsloValueParser.TryParseDict(raw, out var dict) is { } dictError)
                {
                    errors.Add($"{dictError}; must be {option.Allowed}");
                    break;
                }

                foreach (var (k, v) in dict)
                {
                    if (ItemProblem(option, v) is { } why)
                    {
                        errors.Add($"value \"{ConfigProblem.Escape(v)}\" of key \"{ConfigProblem.Escape(k)}\" {why}; must be {option.Allowed}");
                    }
                }

                value = dict;
                break;

            default:
                if (raw.Length == 0 && option.IsNullable)
                {
                    value = null;
                    break;
                }

                if (option.Choices is not null && !option.Choices.Contains(raw, StringComparer.Ordinal))
                {
                    errors.Add("must be " + option.Allowed);
                }
                else if (option.Format is { } f && !(raw.Length == 0 && f.AllowEmpty) && !FormatRules.IsValid(f.Format, raw))
                {
                    errors.Add("must be " + option.Allowed);
                }

                value = raw;
                break;
        }

        return errors;
    }

    private static string? ItemProblem(KuryrOptionDescriptor option, string item)
    {
        if (option.Choices is not null && !option.Choices.Contains(item, StringComparer.Ordinal))
        {
            return "is not allowed";
        }

        if (option.Format is { } f && !FormatRules.IsValid(f.Format, item))
        {
            return "is not " + FormatRules.Describe(f.Format);
        }

        return null;
    }

    private static bool InRange(KuryrOptionDescriptor option, double v)
    {
        if (option.Range is not { } r)
        {
            return true;
        }

        if (v == r.AlsoAllowed)
        {
            return true;
        }

        return (r.MinimumExclusive ? v > r.Minimum : v >= r.Minimum) && v <= r.Maximum;
    }
}
