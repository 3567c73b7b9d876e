namespace Kuryr.Vifs;

/// <summary>A VIF's JSON is not a valid os-vif envelope; <see cref="Path"/> names the field.</summary>
public sealed class VifFormatException : FormatException
{
    public VifFormatException()
    {
        Path = "";
    }

    public VifFormatException(string message)
        : base(message)
    {
        Path = "";
    }

    public VifFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "";
    }

    public VifFormatException(string path, string problem)
        : base($"VIF JSON {path}: {problem}")
    {
        Path = path;
    }

    /// <summary>JSON path of the bad field, from <c>$</c>.</summary>
    public string Path { get; }
}
