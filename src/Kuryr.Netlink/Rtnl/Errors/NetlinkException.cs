using System.Runtime.InteropServices;

namespace Kuryr.Netlink.Rtnl.Errors;

/// <summary>
/// The kernel refused a netlink request. <see cref="ErrorNumber"/> is the errno; the message names the
/// operation, the link (or address/route) and, when the kernel sent one, its extended-ack text.
/// EEXIST, ENODEV and EBUSY have their own subclasses so callers can clean up leftovers and retry.
/// </summary>
public class NetlinkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NetlinkException()
    {
        Operation = string.Empty;
        Target = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public NetlinkException(string message)
        : base(message)
    {
        Operation = string.Empty;
        Target = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = string.Empty;
        Target = string.Empty;
    }

    /// <summary>Creates the exception for a refused request.</summary>
    public NetlinkException(int errorNumber, string operation, string target, string? kernelMessage)
        : base(Format(errorNumber, operation, target, kernelMessage))
    {
        ErrorNumber = errorNumber;
        Operation = operation;
        Target = target;
        KernelMessage = kernelMessage;
    }

    /// <summary>errno (positive).</summary>
    public int ErrorNumber { get; }

    /// <summary>What was attempted ("create veth", "set mtu", "add address", ...).</summary>
    public string Operation { get; } = string.Empty;

    /// <summary>The link, address or route concerned.</summary>
    public string Target { get; } = string.Empty;

    /// <summary>The kernel's extended-ack message (NLMSGERR_ATTR_MSG), when it sent one.</summary>
    public string? KernelMessage { get; }

    internal static NetlinkException Create(int errorNumber, string operation, string target, string? kernelMessage) => errorNumber switch
    {
        17 => new NetlinkAlreadyExistsException(operation, target, kernelMessage),
        19 => new NetlinkNoDeviceException(operation, target, kernelMessage),
        16 => new NetlinkBusyException(operation, target, kernelMessage),
        _ => new NetlinkException(errorNumber, operation, target, kernelMessage),
    };

    private static string Format(int errorNumber, string operation, string target, string? kernelMessage)
        => $"Netlink {operation} of {target} failed: {Marshal.GetPInvokeErrorMessage(errorNumber)} (errno {errorNumber})"
           + (string.IsNullOrEmpty(kernelMessage) ? "." : $"; kernel says: {kernelMessage}.");
}

/// <summary>EEXIST: the link, address or route already exists (a leftover from an earlier attempt?).</summary>
public sealed class NetlinkAlreadyExistsException : NetlinkException
{
    /// <summary>Creates the exception.</summary>
    public NetlinkAlreadyExistsException(string operation, string target, string? kernelMessage)
        : base(17, operation, target, kernelMessage)
    {
    }
}

/// <summary>ENODEV: no such device (the link is gone, or the parent does not exist).</summary>
public sealed class NetlinkNoDeviceException : NetlinkException
{
    /// <summary>Creates the exception.</summary>
    public NetlinkNoDeviceException(string operation, string target, string? kernelMessage)
        : base(19, operation, target, kernelMessage)
    {
    }
}

/// <summary>EBUSY: the device is busy (e.g. renaming an interface that is up).</summary>
public sealed class NetlinkBusyException : NetlinkException
{
    /// <summary>Creates the exception.</summary>
    public NetlinkBusyException(string operation, string target, string? kernelMessage)
        : base(16, operation, target, kernelMessage)
    {
    }
}
