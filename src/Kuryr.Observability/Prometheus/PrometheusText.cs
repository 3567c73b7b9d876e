using System.Globalization;
using System.Text;

namespace Kuryr.Observability.Prometheus;

/// <summary>The Prometheus text exposition format 0.0.4: names, escaping and number formatting.</summary>
public static class PrometheusText
{
    /// <summary>The content type of a scrape answer.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly Dictionary<string, string> UnitNames = new(StringComparer.Ordinal)
    {
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["min"] = "minutes",
        ["h"] = "hours",
        ["d"] = "days",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnitNames = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["min"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
    };

    /// <summary>
    /// The exported name of an instrument: sanitized, with the unit as a suffix (once) and, for
    /// counters, <c>_total</c> (once).
    /// </summary>
    internal static string MetricName(string instrumentName, string? unit, PrometheusMetricType type)
    {
        var name = SanitizeMetricName(instrumentName);
        var isCounter = type == PrometheusMetricType.Counter;
        if (isCounter && name.Length > "_total".Length && name.EndsWith("_total", StringComparison.Ordinal))
        {
            name = name[..^"_total".Length];
        }

        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal) && name != suffix)
        {
            name = name + "_" + suffix;
        }

        return isCounter ? name + "_total" : name;
    }

    /// <summary>The name suffix for a UCUM unit (<c>s</c> → <c>seconds</c>); empty for none, <c>1</c> or <c>{annotations}</c>.</summary>
    internal static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return "";
        }

        // Annotations in braces ("{request}") carry no unit.
        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        var bare = builder.ToString().Trim();
        if (bare.Length == 0 || bare == "1")
        {
            return "";
        }

        var slash = bare.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < bare.Length - 1)
        {
            var left = bare[..slash];
            var right = bare[(slash + 1)..];
            var leftName = left == "1" ? "" : UnitNames.GetValueOrDefault(left, left);
            var rightName = PerUnitNames.GetValueOrDefault(right, right);
            var per = leftName.Length == 0 ? "per_" + rightName : leftName + "_per_" + rightName;
            return Trim(SanitizeLabelName(per));
        }

        return Trim(SanitizeLabelName(UnitNames.GetValueOrDefault(bare, bare)));

        static string Trim(string s) => s.Trim('_');
    }

    /// <summary>A metric name matching <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>: other characters become <c>_</c>.</summary>
    internal static string SanitizeMetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>A label name matching <c>[a-zA-Z_][a-zA-Z0-9_]*</c>: other characters become <c>_</c>.</summary>
    internal static string SanitizeLabelName(string name) => Sanitize(name, allowColon: false);

    /// <summary>A <c># HELP</c> text: <c>\</c> and line feeds escaped.</summary>
    internal static string EscapeHelp(string help)
    {
        if (help.AsSpan().IndexOfAny('\\', '\n') < 0)
        {
            return help;
        }

        return help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>A label value: <c>\</c>, <c>"</c> and line feeds escaped.</summary>
    internal static string EscapeLabelValue(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return value;
        }

        return value
            .Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>A sample value: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    internal static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A tag value as a label value (before escaping).</summary>
    internal static string FormatTagValue(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var chars = name.ToCharArray();
        var changed = false;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var ok = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (i > 0 && char.IsAsciiDigit(c));
            if (!ok && !(i == 0 && char.IsAsciiDigit(c)))
            {
                chars[i] = '_';
                changed = true;
            }
        }

        var result = changed ? new string(chars) : name;
        return char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }
}

/// <summary>The <c># TYPE</c> of a metric family.</summary>
internal enum PrometheusMetricType
{
    Counter,
    Gauge,
    Histogram,
}
