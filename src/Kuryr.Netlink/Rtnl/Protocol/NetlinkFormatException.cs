namespace Kuryr.Netlink.Rtnl.Protocol;

/// <summary>A netlink message or attribute from the kernel (or a test) is malformed.</summary>
public sealed class NetlinkFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NetlinkFormatException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public NetlinkFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NetlinkFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
