namespace Kuryr.Ovs.Ovsdb;

/// <summary>Base of every error of the OVSDB client.</summary>
public class OvsdbException : Exception
{
    public OvsdbException()
    {
    }

    public OvsdbException(string message)
        : base(message)
    {
    }

    public OvsdbException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The connection could not be opened or was lost. <see cref="RequestSent"/> tells whether the
/// request may have reached the server (its outcome is then unknown).
/// </summary>
public sealed class OvsdbConnectionException : OvsdbException
{
    public OvsdbConnectionException()
    {
    }

    public OvsdbConnectionException(string message)
        : base(message)
    {
    }

    public OvsdbConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public OvsdbConnectionException(string message, bool requestSent, Exception? innerException)
        : base(message, innerException)
    {
        RequestSent = requestSent;
    }

    public bool RequestSent { get; }
}

/// <summary>The server sent something that is not valid JSON-RPC (bad JSON, wrong shape, oversized).</summary>
public sealed class OvsdbProtocolException : OvsdbException
{
    public OvsdbProtocolException()
    {
    }

    public OvsdbProtocolException(string message)
        : base(message)
    {
    }

    public OvsdbProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>No response within the request timeout.</summary>
public sealed class OvsdbTimeoutException : OvsdbException
{
    public OvsdbTimeoutException()
    {
    }

    public OvsdbTimeoutException(string message)
        : base(message)
    {
    }

    public OvsdbTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The server answered the JSON-RPC request itself with an error (e.g. unknown database).</summary>
public sealed class OvsdbRpcException : OvsdbException
{
    public OvsdbRpcException()
    {
    }

    public OvsdbRpcException(string message)
        : base(message)
    {
    }

    public OvsdbRpcException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public OvsdbRpcException(string method, string error)
        : base($"OVSDB '{method}' failed: {error}")
    {
        Method = method;
        Error = error;
    }

    public string Method { get; } = "";

    public string Error { get; } = "";
}

/// <summary>
/// One operation of a transact failed (RFC 7047 §5.2: an error object in the result array), or the
/// commit itself failed (<see cref="OperationIndex"/> = the number of operations, <see cref="Operation"/> = "commit").
/// </summary>
public sealed class OvsdbOperationException : OvsdbException
{
    public OvsdbOperationException()
    {
    }

    public OvsdbOperationException(string message)
        : base(message)
    {
    }

    public OvsdbOperationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public OvsdbOperationException(int operationIndex, string operation, string? table, string error, string? details)
        : base(Describe(operationIndex, operation, table, error, details))
    {
        OperationIndex = operationIndex;
        Operation = operation;
        Table = table;
        Error = error;
        Details = details;
    }

    public int OperationIndex { get; }

    /// <summary>The "op" of the failed operation (insert, mutate, wait...), or "commit".</summary>
    public string Operation { get; } = "";

    public string? Table { get; }

    /// <summary>The RFC 7047 error string: "constraint violation", "timed out", "referential integrity violation"...</summary>
    public string Error { get; } = "";

    public string? Details { get; }

    private static string Describe(int index, string operation, string? table, string error, string? details)
    {
        var what = table is null ? operation : $"{operation} on table {table}";
        var detail = string.IsNullOrEmpty(details) ? "" : $": {details}";
        return $"OVSDB transact operation #{index} ({what}) failed with '{error}'{detail}";
    }
}

/// <summary>The bridge named in a port operation does not exist.</summary>
public sealed class OvsBridgeNotFoundException : OvsdbException
{
    public OvsBridgeNotFoundException()
    {
    }

    public OvsBridgeNotFoundException(string message)
        : base(message)
    {
    }

    public OvsBridgeNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
