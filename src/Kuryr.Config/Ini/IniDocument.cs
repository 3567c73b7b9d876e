namespace Kuryr.Config.Ini;

/// <summary>One <c>key = value</c> assignment of an INI file.</summary>
/// <param name="Section">Section name as written (oslo keeps it literally; <c>DEFAULT</c> is a
/// section like any other, not a fallback for the others).</param>
/// <param name="Key">Option name, trimmed.</param>
/// <param name="Value">Value: trimmed, one pair of matching surrounding quotes removed, continuation
/// lines joined with <c>\n</c>.</param>
/// <param name="Line">1-based line of the key.</param>
public sealed record IniEntry(string Section, string Key, string Value, int Line);

/// <summary>
/// A parsed oslo.config-style INI file. Every assignment is kept, in file order, so a repeated
/// key keeps all its values (oslo <c>MultiStrOpt</c>); single-valued options use the last one.
/// </summary>
public sealed class IniDocument
{
    private readonly Dictionary<(string Section, string Key), List<IniEntry>> _byKey;

    internal IniDocument(string fileName, IReadOnlyList<IniEntry> entries, IReadOnlyList<(string Name, int Line)> sections)
    {
        FileName = fileName;
        Entries = entries;
        Sections = sections;
        _byKey = new Dictionary<(string, string), List<IniEntry>>(SectionKeyComparer.Instance);
        foreach (var e in entries)
        {
            if (!_byKey.TryGetValue((e.Section, e.Key), out var list))
            {
                list = [];
                _byKey.Add((e.Section, e.Key), list);
            }

            list.Add(e);
        }
    }

    /// <summary>The file name used in messages (<c>file:line</c>).</summary>
    public string FileName { get; }

    /// <summary>Every assignment, in file order.</summary>
    public IReadOnlyList<IniEntry> Entries { get; }

    /// <summary>Every section header, in file order (a section may appear more than once).</summary>
    public IReadOnlyList<(string Name, int Line)> Sections { get; }

    /// <summary>The last assignment of <paramref name="key"/> in <paramref name="section"/>
    /// (case-insensitive), or null.</summary>
    public IniEntry? GetLast(string section, string key) =>
        _byKey.TryGetValue((section, key), out var list) ? list[^1] : null;

    /// <summary>All assignments of a repeated key, in file order (oslo <c>MultiStrOpt</c>).</summary>
    public IReadOnlyList<IniEntry> GetAll(string section, string key) =>
        _byKey.TryGetValue((section, key), out var list) ? list : [];

    private sealed class SectionKeyComparer : IEqualityComparer<(string Section, string Key)>
    {
        public static readonly SectionKeyComparer Instance = new();

        public bool Equals((string Section, string Key) x, (string Section, string Key) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Section, y.Section) && StringComparer.OrdinalIgnoreCase.Equals(x.Key, y.Key);

        public int GetHashCode((string Section, string Key) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Section), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Key));
    }
}
