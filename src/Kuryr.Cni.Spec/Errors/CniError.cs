using System.Text.Json.Serialization;

namespace Kuryr.Cni.Spec.Errors;

/// <summary>The CNI error object: what a plugin prints on stdout when it fails (and what the agent answers).</summary>
public sealed class CniError
{
    [JsonConstructor]
    public CniError(int code, string msg, string? details = null)
    {
        Code = code;
        Msg = msg;
        Details = details;
    }

    /// <summary>The version of the configuration the error answers (omitted by the agent; set by kuryr-cni).</summary>
    [JsonPropertyName("cniVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CniVersion { get; set; }

    [JsonPropertyName("code")]
    public int Code { get; }

    [JsonPropertyName("msg")]
    public string Msg { get; }

    [JsonPropertyName("details")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Details { get; }

    public override string ToString() => Details is null ? $"CNI error {Code}: {Msg}" : $"CNI error {Code}: {Msg} ({Details})";
}

/// <summary>A failure that carries its CNI error; everything in this library throws only this for bad input.</summary>
public sealed class CniException : Exception
{
    public CniException(int code, string message, string? details = null)
        : base(message)
    {
        Error = new CniError(code, message, details);
    }

    public CniException(CniError error)
        : base(error.Msg)
    {
        Error = error;
    }

    public CniException()
        : this(CniErrorCodes.InternalError, "CNI error")
    {
    }

    public CniException(string message)
        : this(CniErrorCodes.InternalError, message)
    {
    }

    public CniException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new CniError(CniErrorCodes.InternalError, message);
    }

    public CniError Error { get; }

    public int Code => Error.Code;
}
