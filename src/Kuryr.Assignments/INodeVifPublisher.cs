namespace Kuryr.Assignments;

/// <summary>
/// Controller side: publishes each node's VIF assignments in Redis so the node's agent gets them
/// without waiting for its KuryrPort watch. Layout: HASH <c>&lt;prefix&gt;:node:{NODE}:vifs</c>, field
/// <c>namespace/pod</c> → <see cref="NodeVifAssignment"/> JSON; every change also
/// <c>PUBLISH &lt;prefix&gt;:node:{NODE}</c> with the field name. Both calls are idempotent.
/// </summary>
public interface INodeVifPublisher
{
    /// <summary>Writes (replaces) the pod's assignment on <paramref name="node"/> and announces it.</summary>
    Task PublishAsync(string node, string podNamespace, string podName, NodeVifAssignment assignment, CancellationToken cancellationToken = default);

    /// <summary>Removes the pod's assignment from <paramref name="node"/> and announces it; true when it was there.</summary>
    Task<bool> RemoveAsync(string node, string podNamespace, string podName, CancellationToken cancellationToken = default);
}

/// <summary>Agent side: reads the assignments the controller published for a node, and follows changes.</summary>
public interface INodeVifReader
{
    /// <summary>The pod's assignment on <paramref name="node"/>, or null.</summary>
    Task<NodeVifAssignment?> GetAsync(string node, string podNamespace, string podName, CancellationToken cancellationToken = default);

    /// <summary>Every assignment of <paramref name="node"/>.</summary>
    Task<IReadOnlyList<NodeVifEntry>> GetAllAsync(string node, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="callback"/> for every change announced for <paramref name="node"/> until the
    /// returned handle is disposed. Pub/sub is fire-and-forget: a reader (re)reads with
    /// <see cref="GetAsync"/>/<see cref="GetAllAsync"/> after subscribing and after a reconnect.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(string node, Func<NodeVifChange, Task> callback, CancellationToken cancellationToken = default);
}

/// <summary>A published assignment could not be read: names the key, field and problem.</summary>
public sealed class NodeVifFormatException : Exception
{
    public NodeVifFormatException() { }

    public NodeVifFormatException(string message) : base(message) { }

    public NodeVifFormatException(string message, Exception innerException) : base(message, innerException) { }
}
