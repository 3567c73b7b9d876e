namespace Kuryr.Cni.Spec.Errors;

/// <summary>
/// CNI error codes. 1-99 are reserved by the specification (SPEC.md "Error"); 100+ belong to plugins.
/// </summary>
public static class CniErrorCodes
{
    /// <summary>Incompatible CNI version.</summary>
    public const int IncompatibleVersion = 1;

    /// <summary>Unsupported field in network configuration (the message names the field).</summary>
    public const int UnsupportedField = 2;

    /// <summary>Container unknown or does not exist (DEL treats this as success).</summary>
    public const int UnknownContainer = 3;

    /// <summary>Invalid necessary environment variables, like CNI_COMMAND or CNI_CONTAINERID (the message names it).</summary>
    public const int InvalidEnvironment = 4;

    /// <summary>I/O failure, e.g. reading stdin or talking to the agent broke mid-way.</summary>
    public const int IoFailure = 5;

    /// <summary>Failed to decode content: the network configuration or a result could not be unmarshalled.</summary>
    public const int DecodeFailure = 6;

    /// <summary>Invalid network config: a validation failed.</summary>
    public const int InvalidNetworkConfig = 7;

    /// <summary>Try again later: a transient condition (agent unreachable, VIF not there yet).</summary>
    public const int TryAgainLater = 11;

    /// <summary>STATUS: the plugin is not available (agent down, no ports to give).</summary>
    public const int PluginNotAvailable = 50;

    /// <summary>STATUS: the plugin is available, with limited connectivity.</summary>
    public const int LimitedConnectivity = 51;

    /// <summary>Kuryr.Node: the agent answered something that is not a CNI result nor a CNI error.</summary>
    public const int BadAgentResponse = 100;

    /// <summary>Kuryr's catch-all internal error (the daemon's 500 answers carried 999).</summary>
    public const int InternalError = 999;

    /// <summary>The specification's short text for a code, for messages and docs.</summary>
    public static string Describe(int code) => code switch
    {
        IncompatibleVersion => "incompatible CNI version",
        UnsupportedField => "unsupported field in network configuration",
        UnknownContainer => "container unknown or does not exist",
        InvalidEnvironment => "invalid necessary environment variables",
        IoFailure => "I/O failure",
        DecodeFailure => "failed to decode content",
        InvalidNetworkConfig => "invalid network config",
        TryAgainLater => "try again later",
        PluginNotAvailable => "the plugin is not available",
        LimitedConnectivity => "the plugin is available, with limited connectivity",
        BadAgentResponse => "bad response from kuryr-agent",
        InternalError => "internal error",
        _ => "error",
    };
}
