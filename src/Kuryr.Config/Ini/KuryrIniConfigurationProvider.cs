using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Ini;

/// <summary>
/// Loads one INI file through <see cref="IniParser"/>. Single-valued lookups see the last value
/// of a repeated key; <see cref="Document"/> keeps all of them and their line numbers.
/// </summary>
public sealed class KuryrIniConfigurationProvider : ConfigurationProvider, IKuryrConfigurationOrigin
{
    private readonly KuryrIniConfigurationSource _source;

    public KuryrIniConfigurationProvider(KuryrIniConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>The parsed file (empty until <see cref="Load"/>, or when an optional file is missing).</summary>
    public IniDocument Document { get; private set; } = new(string.Empty, [], []);

    /// <exception cref="KuryrConfigException">The file is missing (and not optional), unreadable or malformed.</exception>
    public override void Load()
    {
        string text;
        if (_source.Text is not null)
        {
            text = _source.Text;
        }
        else
        {
            try
            {
                text = File.ReadAllText(_source.Path);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException && _source.Optional)
            {
                Document = new IniDocument(_source.Path, [], []);
                Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException or ArgumentException or NotSupportedException)
            {
                throw new KuryrConfigException([new ConfigProblem(_source.Path, null, null, null, "cannot read the configuration file: " + ex.Message)]);
            }
        }

        var document = IniParser.Parse(text, _source.Path);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in document.Entries)
        {
            data[ConfigurationPath.Combine(entry.Section, entry.Key)] = entry.Value;
        }

        Document = document;
        Data = data;
    }

    string? IKuryrConfigurationOrigin.DescribeOrigin(string sectionName, string optionName)
    {
        var entry = Document.GetLast(sectionName, optionName);
        return entry is null ? null : string.Create(CultureInfo.InvariantCulture, $"{Document.FileName}:{entry.Line}");
    }

    public override string ToString() => $"kuryr.conf ({_source.Path})";
}
