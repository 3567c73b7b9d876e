using System.Globalization;

namespace Kuryr.Config.Ini;

/// <summary>
/// Reads INI text the way oslo.config does (<c>oslo_config/iniparser.py</c> + <c>cfg.ConfigParser</c>):
/// <list type="bullet">
/// <item><c>[section]</c> headers (the name is taken literally; <c>[DEFAULT]</c> is an ordinary section);</item>
/// <item><c>key = value</c> or <c>key: value</c>, split at whichever of <c>=</c>/<c>:</c> comes first;
/// key and value trimmed; one pair of matching surrounding quotes (<c>"…"</c> or <c>'…'</c>) removed;</item>
/// <item>lines starting with <c>#</c> or <c>;</c> are comments (there are no inline comments:
/// <c>a = b # c</c> has the value <c>b # c</c>);</item>
/// <item>a line starting with a space or tab continues the previous value (joined with <c>\n</c>,
/// leading whitespace removed), and a blank line ends it;</item>
/// <item>repeated keys keep every value.</item>
/// </list>
/// Every malformed line is reported (not only the first) with <c>file:line</c>, in one
/// <see cref="KuryrConfigException"/>.
/// </summary>
public static class IniParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> is used in messages.</summary>
    /// <exception cref="KuryrConfigException">One or more malformed lines.</exception>
    public static IniDocument Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);

        var entries = new List<IniEntry>();
        var sections = new List<(string, int)>();
        var problems = new List<ConfigProblem>();

        string? section = null;
        string? key = null;
        var keyLine = 0;
        var value = new List<string>();
        var lineNo = 0;

        void Flush()
        {
            if (key is null)
            {
                return;
            }

            if (section is null)
            {
                problems.Add(Problem(fileName, keyLine, "section must be started before assignment", key));
            }
            else
            {
                entries.Add(new IniEntry(section, key, string.Join('\n', value), keyLine));
            }

            key = null;
            value.Clear();
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        foreach (var raw in SplitLines(text))
        {
            lineNo++;
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                // A blank line ends a multi-line value.
                Flush();
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (key is null)
                {
                    problems.Add(Problem(fileName, lineNo, "unexpected continuation line (an indented line must follow a 'key = value' line)", line));
                }
                else
                {
                    value.Add(line.TrimStart());
                }

                continue;
            }

            Flush();

            if (line[0] == '[')
            {
                if (line[^1] != ']')
                {
                    problems.Add(Problem(fileName, lineNo, "invalid section header (must end with ']')", line));
                }
                else if (line.Length <= 2)
                {
                    problems.Add(Problem(fileName, lineNo, "empty section name", line));
                }
                else
                {
                    section = line[1..^1];
                    sections.Add((section, lineNo));
                }
            }
            else if (line[0] is '#' or ';')
            {
                // Comment.
            }
            else
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var equal = line.IndexOf('=', StringComparison.Ordinal);
                if (colon < 0 && equal < 0)
                {
                    problems.Add(Problem(fileName, lineNo, "no '=' or ':' found in assignment (expected 'key = value')", line));
                    continue;
                }

                var split = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
                var k = line[..split].Trim();
                if (k.Length == 0)
                {
                    problems.Add(Problem(fileName, lineNo, "key cannot be empty", line));
                    continue;
                }

                key = k;
                keyLine = lineNo;
                value.Add(Unquote(line[(split + 1)..].Trim()));
            }
        }

        Flush();

        if (problems.Count > 0)
        {
            throw new KuryrConfigException(problems);
        }

        return new IniDocument(fileName, entries, sections);
    }

    /// <summary>oslo: a value that starts and ends with the same quote character loses that pair
    /// (once; a lone <c>"</c> becomes empty).</summary>
    internal static string Unquote(string value) =>
        value.Length > 0 && value[0] is '"' or '\'' && value[^1] == value[0]
            ? (value.Length == 1 ? string.Empty : value[1..^1])
            : value;

    /// <summary>Splits like Python's universal newlines: <c>\r\n</c>, <c>\r</c> and <c>\n</c>.</summary>
    internal static IEnumerable<string> SplitLines(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                yield return text[start..i];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static ConfigProblem Problem(string fileName, int line, string reason, string text) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{fileName}:{line}"), null, null, null, $"{reason}: \"{ConfigProblem.Escape(Truncate(text))}\"");

    private static string Truncate(string s) => s.Length <= 120 ? s : string.Concat(s.AsSpan(0, 117), "...");
}
