using System.Text.RegularExpressions;

namespace Kuryr.Controller.MultiVif.Common;

/// <summary>
/// A multi-VIF annotation that cannot be read at all (not JSON where JSON is needed, not a list):
/// the only exception the annotation parsers throw. <see cref="Annotation"/> names the annotation.
/// </summary>
public sealed class MultiVifAnnotationException : FormatException
{
    public MultiVifAnnotationException() { }

    public MultiVifAnnotationException(string message) : base(message) { }

    public MultiVifAnnotationException(string message, Exception innerException) : base(message, innerException) { }

    public MultiVifAnnotationException(string annotation, string problem, Exception? innerException = null)
        : base($"annotation {annotation}: {problem}", innerException)
    {
        Annotation = annotation;
        Problem = problem;
    }

    /// <summary>The annotation's key.</summary>
    public string Annotation { get; } = "";

    /// <summary>What is wrong, without the annotation's name.</summary>
    public string Problem { get; } = "";
}

/// <summary>One entry of a list annotation: its value, or why it cannot be used (never both).</summary>
/// <param name="Index">0-based position in the annotation.</param>
/// <param name="Text">The entry as written (for events), shortened.</param>
/// <param name="Value">The parsed entry, or null.</param>
/// <param name="Problem">Why the entry is refused, or null.</param>
public sealed record AnnotationEntry<T>(int Index, string Text, T? Value, string? Problem)
    where T : class;

/// <summary>Builds <see cref="AnnotationEntry{T}"/>s.</summary>
public static class AnnotationEntry
{
    public static AnnotationEntry<T> Ok<T>(int index, string text, T value)
        where T : class => new(index, AnnotationText.Shorten(text), value, null);

    public static AnnotationEntry<T> Bad<T>(int index, string text, string problem)
        where T : class => new(index, AnnotationText.Shorten(text), null, problem);
}

/// <summary>Validation shared by the annotation parsers.</summary>
public static partial class AnnotationText
{
    /// <summary>Longest entry text quoted back in an event.</summary>
    public const int MaxQuoted = 120;

    /// <summary>Linux IFNAMSIZ - 1.</summary>
    public const int MaxInterfaceNameLength = 15;

    /// <summary><paramref name="text"/> cut to <see cref="MaxQuoted"/> characters.</summary>
    public static string Shorten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaxQuoted ? text : string.Concat(text.AsSpan(0, MaxQuoted), "...");
    }

    /// <summary>A Neutron id (UUID, 8-4-4-4-12 hex digits).</summary>
    public static bool IsUuid(string? value) => value is { Length: 36 } && Guid.TryParseExact(value, "D", out _);

    /// <summary>A Kubernetes object name (DNS-1123 subdomain).</summary>
    public static bool IsObjectName(string? value) => value is { Length: > 0 and <= 253 } && Dns1123Subdomain().IsMatch(value);

    /// <summary>A Kubernetes namespace name (DNS-1123 label).</summary>
    public static bool IsNamespaceName(string? value) => value is { Length: > 0 and <= 63 } && Dns1123Label().IsMatch(value);

    /// <summary>Why <paramref name="name"/> is not a valid Linux interface name (the kernel's
    /// <c>dev_valid_name</c>: 1-15 bytes, not <c>.</c>/<c>..</c>, no <c>/</c>, <c>:</c> or whitespace), or null.</summary>
    public static string? InterfaceNameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return "the interface name is empty";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxInterfaceNameLength)
        {
            return $"interface name \"{Shorten(name)}\" is longer than {MaxInterfaceNameLength} bytes";
        }

        if (name is "." or "..")
        {
            return $"interface name \"{name}\" is not allowed";
        }

        foreach (var c in name)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"interface name \"{name}\" contains '{(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) : c)}' (not allowed in a Linux interface name)";
            }
        }

        return null;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();
}
