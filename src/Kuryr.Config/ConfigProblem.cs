using System.Globalization;
using System.Text;

namespace Kuryr.Config;

/// <summary>
/// One problem found while reading <c>kuryr.conf</c>: where it came from (<c>file:line</c>, an
/// environment variable, or <c>(default)</c>), the section and option, the value given (masked for
/// secrets) and what is allowed.
/// </summary>
/// <param name="Location">Where the value came from, e.g. <c>/etc/kuryr/kuryr.conf:12</c> or
/// <c>environment KURYR_VIF_POOL__PORTS_POOL_MIN</c>.</param>
/// <param name="Section">Section name, or null for a syntax error.</param>
/// <param name="Option">Option name, or null for a syntax error or a section-level problem.</param>
/// <param name="Value">The value as given (already masked for secrets), or null.</param>
/// <param name="Reason">What is wrong and what is allowed.</param>
public sealed record ConfigProblem(string Location, string? Section, string? Option, string? Value, string Reason)
{
    /// <summary>Masked form of a secret value in messages.</summary>
    public const string Masked = "***";

    /// <summary>
    /// <c>{location} [{section}] {option} = "{value}": {reason}</c>, or <c>{location}: {reason}</c>
    /// for syntax errors.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Location);
        if (Section is not null)
        {
            sb.Append(" [").Append(Section).Append(']');
            if (Option is not null)
            {
                sb.Append(' ').Append(Option);
                if (Value is not null)
                {
                    sb.Append(" = \"").Append(Escape(Value)).Append('"');
                }
            }
        }

        sb.Append(": ").Append(Reason);
        return sb.ToString();
    }

    /// <summary>Escapes a value for a one-line message (quotes, backslashes, control characters).</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
