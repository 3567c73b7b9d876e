using System.Collections;
using Kuryr.Config.Ini;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Environment;

/// <summary>
/// Maps <c>KURYR_SECTION__OPTION=value</c> to <c>section:option</c>. The section is everything
/// between the prefix and the first <c>__</c>; the option is the rest. Variables without
/// <c>__</c> are not configuration and are skipped.
/// </summary>
public sealed class KuryrEnvironmentConfigurationProvider : ConfigurationProvider, IKuryrConfigurationOrigin
{
    public const string DefaultPrefix = "KURYR_";

    private readonly KuryrEnvironmentConfigurationSource _source;
    private Dictionary<string, string> _variableByKey = new(StringComparer.OrdinalIgnoreCase);

    public KuryrEnvironmentConfigurationProvider(KuryrEnvironmentConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in ReadVariables())
        {
            if (!TryMap(name, _source.Prefix, out var section, out var option))
            {
                continue;
            }

            var key = ConfigurationPath.Combine(section, option);
            // Two spellings of one key (KURYR_A__B and kuryr_a__b): the ordinally greater name wins,
            // so the result does not depend on enumeration order.
            if (names.TryGetValue(key, out var previous) && string.CompareOrdinal(previous, name) > 0)
            {
                continue;
            }

            data[key] = value;
            names[key] = name;
        }

        Data = data;
        _variableByKey = names;
    }

    /// <summary>Maps a variable name to (section, option); false when it is not a Kuryr option variable.</summary>
    public static bool TryMap(string name, string prefix, out string section, out string option)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(prefix);
        section = option = string.Empty;
        if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = name[prefix.Length..];
        var split = rest.IndexOf("__", StringComparison.Ordinal);
        if (split <= 0 || split + 2 >= rest.Length)
        {
            return false;
        }

        var s = rest[..split];
        section = string.Equals(s, "DEFAULT", StringComparison.OrdinalIgnoreCase) ? "DEFAULT" : s.ToLowerInvariant();
        option = rest[(split + 2)..].ToLowerInvariant();
        return true;
    }

    string? IKuryrConfigurationOrigin.DescribeOrigin(string sectionName, string optionName) =>
        _variableByKey.TryGetValue(ConfigurationPath.Combine(sectionName, optionName), out var name) ? "environment " + name : null;

    public override string ToString() => $"environment ({_source.Prefix}*)";

    private IEnumerable<KeyValuePair<string, string>> ReadVariables()
    {
        if (_source.Variables is not null)
        {
            foreach (var kv in _source.Variables)
            {
                yield return kv;
            }

            yield break;
        }

        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            if (e.Key is string k && e.Value is string v)
            {
                yield return new KeyValuePair<string, string>(k, v);
            }
        }
    }
}
