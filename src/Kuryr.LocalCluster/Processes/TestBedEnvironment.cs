namespace Kuryr.LocalCluster.Processes;

/// <summary>The KEY=VALUE endpoints file written by <c>testbed/up.sh</c>.</summary>
public sealed class TestBedEnvironment
{
    private readonly IReadOnlyDictionary<string, string> _values;

    public TestBedEnvironment(IReadOnlyDictionary<string, string> values, string source)
    {
        _values = values;
        Source = source;
    }

    public string Source { get; }

    public static TestBedEnvironment Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"{source}: not a KEY=VALUE line: '{line}'");
            }

            values[line[..eq]] = line[(eq + 1)..];
        }

        return new TestBedEnvironment(values, source);
    }

    public static TestBedEnvironment Load(string path) =>
        File.Exists(path)
            ? Parse(File.ReadAllText(path), path)
            : throw new FileNotFoundException($"--testbed-env: {path} not found; start the test bed with testbed/up.sh", path);

    /// <summary>The value of <paramref name="key"/>; a missing key is an error naming it and the file.</summary>
    public string this[string key] =>
        _values.TryGetValue(key, out var v) && v.Length > 0 ? v : throw new KeyNotFoundException($"{Source}: {key} is missing (is the test bed up? testbed/up.sh)");
}
