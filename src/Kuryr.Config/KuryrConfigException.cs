using System.Text;

namespace Kuryr.Config;

/// <summary>
/// <c>kuryr.conf</c> (or its environment overrides) cannot be used. Carries every problem found,
/// not just the first: a syntax error names <c>file:line</c>; a bad value names section, option,
/// value and what is allowed.
/// </summary>
public sealed class KuryrConfigException : Exception
{
    public KuryrConfigException()
        : this([new ConfigProblem("kuryr.conf", null, null, null, "invalid configuration")])
    {
    }

    public KuryrConfigException(string message)
        : this([new ConfigProblem("kuryr.conf", null, null, null, message)])
    {
    }

    public KuryrConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new ConfigProblem("kuryr.conf", null, null, null, message)];
    }

    public KuryrConfigException(IReadOnlyList<ConfigProblem> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

    /// <summary>All problems, in file order (syntax), then section and option order.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }

    private static string Format(IReadOnlyList<ConfigProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 1)
        {
            return "Invalid Kuryr configuration: " + problems[0];
        }

        var sb = new StringBuilder("Invalid Kuryr configuration (").Append(problems.Count).Append(" problems):");
        foreach (var p in problems)
        {
            sb.Append('\n').Append("  - ").Append(p);
        }

        return sb.ToString();
    }
}
