using System.Globalization;

namespace Kuryr.Config.Binding;

/// <summary>
/// Converts raw strings the way oslo.config's types do (<c>oslo_config/types.py</c>): integers and
/// floats trimmed, booleans true/false/yes/no/on/off/1/0 in any case, lists split at commas with
/// items trimmed (a trailing comma ignored, empty items kept), dicts as <c>key:value</c> pairs
/// split at the first colon, empty keys and duplicate keys rejected.
/// </summary>
internal static class OsloValueParser
{
    private static readonly string[] TrueValues = ["true", "1", "on", "yes"];
    private static readonly string[] FalseValues = ["false", "0", "off", "no"];

    public static bool TryParseInteger(string raw, out int value) =>
        int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseFloat(string raw, out double value) =>
        double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static bool TryParseBoolean(string raw, out bool value)
    {
        var s = raw.Trim();
        if (TrueValues.Contains(s, StringComparer.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        value = false;
        return FalseValues.Contains(s, StringComparer.OrdinalIgnoreCase);
    }

    public static List<string> ParseList(string raw)
    {
        var s = raw.Trim();
        if (s.EndsWith(','))
        {
            s = s[..^1].TrimEnd();
        }

        return s.Length == 0 ? [] : [.. s.Split(',').Select(item => item.Trim())];
    }

    /// <returns>null on success, else why the value is not a dict.</returns>
    public static string? TryParseDict(string raw, out Dictionary<string, string> value)
    {
        value = new Dictionary<string, string>(StringComparer.Ordinal);
        var s = raw.Trim();
        if (s.Length == 0)
        {
            return null;
        }

        foreach (var pair in s.Split(','))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return $"pair \"{ConfigProblem.Escape(pair.Trim())}\" has no ':'";
            }

            var key = pair[..colon].Trim();
            var v = pair[(colon + 1)..].Trim();
            if (key.Length == 0)
            {
                return $"pair \"{ConfigProblem.Escape(pair.Trim())}\" has an empty key";
            }

            if (!value.TryAdd(key, v))
            {
                return $"duplicate key \"{ConfigProblem.Escape(key)}\"";
            }
        }

        return null;
    }
}
