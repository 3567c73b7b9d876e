namespace Kuryr.Neutron.Errors;

/// <summary>
/// A Neutron call failed. <see cref="ErrorType"/> is Neutron's <c>NeutronError.type</c>
/// (for example <c>PortNotFound</c>, <c>DuplicateSubPort</c>, <c>OverQuota</c>).
/// </summary>
public class NeutronException : Exception
{
    public NeutronException(string operation, int statusCode, string? errorType, string message, string? requestId, Exception? inner = null)
        : base(Format(operation, statusCode, errorType, message, requestId), inner)
    {
        Operation = operation;
        StatusCode = statusCode;
        ErrorType = errorType;
        NeutronMessage = message;
        RequestId = requestId;
    }

    public NeutronException() : this("unknown", 0, null, "Neutron call failed", null) { }

    public NeutronException(string message) : this("unknown", 0, null, message, null) { }

    public NeutronException(string message, Exception innerException) : this("unknown", 0, null, message, null, innerException) { }

    /// <summary>The operation name, e.g. <c>add_subports</c>.</summary>
    public string Operation { get; }

    /// <summary>HTTP status; 0 when no answer came (connection failure).</summary>
    public int StatusCode { get; }

    public string? ErrorType { get; }

    public string NeutronMessage { get; }

    /// <summary>Neutron's <c>x-openstack-request-id</c>, for the operator to grep the server log.</summary>
    public string? RequestId { get; }

    private static string Format(string operation, int statusCode, string? errorType, string message, string? requestId) =>
        $"Neutron {operation} failed: {(statusCode == 0 ? "no answer" : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))}"
        + (errorType is null ? "" : $" {errorType}") + $": {message}" + (requestId is null ? "" : $" (request {requestId})");
}
