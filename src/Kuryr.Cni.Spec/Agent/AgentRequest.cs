using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Kuryr.Cni.Spec.Config;
using Kuryr.Cni.Spec.Invocation;

namespace Kuryr.Cni.Spec.Agent;

/// <summary>
/// The body of every kuryr-cni → agent request: the CNI call as kuryr-cni received it. The agent
/// reads the pod from <see cref="Args"/> (<c>K8S_POD_NAMESPACE</c>, <c>K8S_POD_NAME</c>,
/// <c>K8S_POD_UID</c>), the prevResult / valid attachments from <see cref="Config"/>.
/// </summary>
public sealed class AgentRequest
{
    /// <summary><c>ADD</c>, <c>DEL</c>, <c>CHECK</c>, <c>STATUS</c> or <c>GC</c>.</summary>
    [JsonPropertyName("command")]
    public required string Command { get; init; }

    [JsonPropertyName("containerId")]
    public string? ContainerId { get; init; }

    [JsonPropertyName("netns")]
    public string? Netns { get; init; }

    [JsonPropertyName("ifName")]
    public string? IfName { get; init; }

    /// <summary><c>CNI_ARGS</c> parsed into its pairs.</summary>
    [JsonPropertyName("args")]
    public IReadOnlyDictionary<string, string> Args { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("path")]
    public string? Path { get; init; }

    /// <summary>The network configuration from stdin, untouched (incl. prevResult and plugin keys).</summary>
    [JsonPropertyName("config")]
    public JsonObject? Config { get; init; }

    public static AgentRequest From(CniInvocation invocation, NetworkConfig? config)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return new AgentRequest
        {
            Command = invocation.Command.ToWire(),
            ContainerId = invocation.ContainerId,
            Netns = invocation.Netns,
            IfName = invocation.IfName,
            Args = invocation.Args.Values,
            Path = invocation.Path,
            Config = config?.Raw,
        };
    }

    /// <summary>The endpoint the command goes to.</summary>
    public static (HttpMethod Method, string Path) Route(CniCommand command) => command switch
    {
        CniCommand.Add => (HttpMethod.Post, AgentProtocol.AddPath),
        CniCommand.Del => (HttpMethod.Post, AgentProtocol.DelPath),
        CniCommand.Check => (HttpMethod.Post, AgentProtocol.CheckPath),
        CniCommand.Gc => (HttpMethod.Post, AgentProtocol.GcPath),
        CniCommand.Status => (HttpMethod.Get, AgentProtocol.StatusPath),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "VERSION is answered by kuryr-cni itself"),
    };
}
