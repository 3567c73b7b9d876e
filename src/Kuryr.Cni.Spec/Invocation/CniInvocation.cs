using Kuryr.Cni.Spec.Errors;

namespace Kuryr.Cni.Spec.Invocation;

/// <summary>
/// The <c>CNI_*</c> environment of one plugin call. Which variables are required depends on the verb
/// (SPEC.md "Parameters"): ADD and CHECK need CNI_CONTAINERID, CNI_NETNS and CNI_IFNAME; DEL needs
/// CNI_CONTAINERID and CNI_IFNAME (CNI_NETNS may be empty once the netns is gone); VERSION, STATUS
/// and GC need none. A missing or malformed required variable is error 4 naming it.
/// </summary>
public sealed class CniInvocation
{
    public const string CommandVariable = "CNI_COMMAND";
    public const string ContainerIdVariable = "CNI_CONTAINERID";
    public const string NetnsVariable = "CNI_NETNS";
    public const string IfNameVariable = "CNI_IFNAME";
    public const string ArgsVariable = "CNI_ARGS";
    public const string PathVariable = "CNI_PATH";

    /// <summary>Linux's IFNAMSIZ - 1, in bytes.</summary>
    public const int MaxIfNameLength = 15;

    public required CniCommand Command { get; init; }

    public string? ContainerId { get; init; }

    public string? Netns { get; init; }

    public string? IfName { get; init; }

    public CniArgs Args { get; init; } = CniArgs.Empty;

    /// <summary>The raw <c>CNI_ARGS</c> text.</summary>
    public string? RawArgs { get; init; }

    public string? Path { get; init; }

    /// <summary>Reads the environment through <paramref name="get"/> (e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>).</summary>
    public static CniInvocation FromEnvironment(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var commandText = get(CommandVariable);
        if (string.IsNullOrEmpty(commandText))
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, $"{CommandVariable} is not set");
        }

        if (!CniCommands.TryParse(commandText, out var command))
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment,
                $"{CommandVariable} \"{CniArgs.Truncate(commandText)}\" is not one of ADD, DEL, CHECK, VERSION, STATUS, GC");
        }

        var needsAttachment = command is CniCommand.Add or CniCommand.Del or CniCommand.Check;
        var containerId = get(ContainerIdVariable);
        var netns = get(NetnsVariable);
        var ifName = get(IfNameVariable);
        if (needsAttachment)
        {
            Require(ContainerIdVariable, containerId);
            ValidateContainerId(containerId!);
            Require(IfNameVariable, ifName);
            ValidateIfName(ifName!);
            if (command != CniCommand.Del)
            {
                Require(NetnsVariable, netns);
            }
        }

        if (!string.IsNullOrEmpty(netns) && !netns.StartsWith('/'))
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, $"{NetnsVariable} \"{CniArgs.Truncate(netns)}\" is not an absolute path");
        }

        var rawArgs = get(ArgsVariable);
        return new CniInvocation
        {
            Command = command,
            ContainerId = NullIfEmpty(containerId),
            Netns = NullIfEmpty(netns),
            IfName = NullIfEmpty(ifName),
            RawArgs = NullIfEmpty(rawArgs),
            Args = CniArgs.Parse(rawArgs),
            Path = NullIfEmpty(get(PathVariable)),
        };
    }

    /// <summary>The interface name rules of SPEC.md / libcni <c>ValidateInterfaceName</c>.</summary>
    public static void ValidateIfName(string name)
    {
        // IFNAMSIZ counts bytes: "ÜÜÜÜÜÜÜÜ" is 8 characters but 16 bytes, too long for the kernel.
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxIfNameLength)
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, $"{IfNameVariable} \"{CniArgs.Truncate(name)}\" is longer than {MaxIfNameLength} bytes");
        }

        if (name is "." or ".." || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, $"{IfNameVariable} \"{name}\" is not a valid interface name");
        }
    }

    /// <summary>libcni <c>ValidateContainerID</c>: starts alphanumeric, then alphanumerics, '_', '.', '-'.</summary>
    public static void ValidateContainerId(string id)
    {
        if (id.Length > 1024 || !char.IsAsciiLetterOrDigit(id[0]) || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, $"{ContainerIdVariable} \"{CniArgs.Truncate(id)}\" is not a valid container id");
        }
    }

    private static void Require(string variable, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new CniException(CniErrorCodes.InvalidEnvironment, $"{variable} is not set");
        }
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
