using Kuryr.Cni.Spec.Agent;
using Kuryr.Cni.Spec.Invocation;

namespace Kuryr.Cni.Agent;

/// <summary>Sends one CNI call to kuryr-agent.</summary>
public interface IAgentClient
{
    /// <summary>
    /// The agent's answer. Throws <see cref="AgentUnreachableException"/> when there is no answer
    /// (no socket, connection refused, connection dropped, timeout).
    /// </summary>
    Task<AgentResponse> SendAsync(CniCommand command, AgentRequest request, CancellationToken cancellationToken);
}

/// <summary>An HTTP status and body from the agent.</summary>
public sealed record AgentResponse(int StatusCode, byte[] Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;
}

/// <summary>The agent did not answer. <see cref="TimedOut"/>: it accepted the call but did not answer in time.</summary>
public sealed class AgentUnreachableException : Exception
{
    public AgentUnreachableException(string socketPath, string reason, bool timedOut, Exception? inner)
        : base($"kuryr-agent at {socketPath}: {reason}", inner)
    {
        SocketPath = socketPath;
        TimedOut = timedOut;
    }

    public AgentUnreachableException()
        : this("", "unreachable", false, null)
    {
    }

    public AgentUnreachableException(string message)
        : this("", message, false, null)
    {
    }

    public AgentUnreachableException(string message, Exception innerException)
        : this("", message, false, innerException)
    {
    }

    public string SocketPath { get; } = "";

    public bool TimedOut { get; }
}
