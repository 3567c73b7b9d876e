namespace Kuryr.Netlink.Namespaces;

/// <summary>A namespace operation (open, create, delete, setns) failed; <see cref="ErrorNumber"/> is the errno.</summary>
public sealed class NetworkNamespaceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NetworkNamespaceException(string message, int errorNumber, string path)
        : base(message)
    {
        ErrorNumber = errorNumber;
        Path = path;
    }

    /// <summary>The errno of the failing call.</summary>
    public int ErrorNumber { get; }

    /// <summary>The namespace path involved.</summary>
    public string Path { get; }
}
