namespace Kuryr.PoolCtl;

/// <summary>Exit codes of kuryr-poolctl (docs/poolctl.md).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The operation failed: Redis or the controller unreachable, unknown pool, refused change.</summary>
    public const int Failed = 1;

    /// <summary>Bad command line, bad configuration file or a request field the API refused.</summary>
    public const int Usage = 2;
}

/// <summary>A failure with the message printed on stderr and the process's exit code.</summary>
internal sealed class PoolCtlException : Exception
{
    public PoolCtlException()
    {
    }

    public PoolCtlException(string message)
        : base(message)
    {
    }

    public PoolCtlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PoolCtlException(string message, int exitCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; } = ExitCodes.Failed;

    public static PoolCtlException Usage(string message) => new(message, ExitCodes.Usage);
}
