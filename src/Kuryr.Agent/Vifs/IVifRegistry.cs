using Kuryr.Agent.Binding;

namespace Kuryr.Agent.Vifs;

/// <summary>
/// The VIFs of the pods on this node, fed by two sources: the KuryrPort informer restricted to
/// this node (label <c>kuryr.openstack.org/nodeName</c>) and the controller's Redis publication
/// (<see cref="Kuryr.Assignments.INodeVifReader"/>). The faster of the two wins; with Redis down
/// the watch alone still works. Never calls Neutron.
/// </summary>
public interface IVifRegistry
{
    /// <summary>True once the KuryrPort informer has listed this node's KuryrPorts.</summary>
    bool HasSynced { get; }

    /// <summary>True while the informer runs.</summary>
    bool IsRunning { get; }

    /// <summary>Runs the informer and the Redis subscription until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes once <see cref="HasSynced"/>.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);

    /// <summary>The pod's VIFs as known now (any source, matching <paramref name="podUid"/>; null: not known or not this pod's).</summary>
    PodVifs? TryGet(string podNamespace, string podName, string? podUid);

    /// <summary>
    /// Waits until the pod's VIFs are known for <paramref name="podUid"/> and every one is active.
    /// Throws <see cref="VifWaitTimeoutException"/> after <paramref name="timeout"/>, naming what
    /// was missing (no KuryrPort, a KuryrPort of another pod UID, inactive VIFs).
    /// </summary>
    Task<PodVifs> WaitForVifsAsync(string podNamespace, string podName, string? podUid, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>A pod's VIFs: default first, then by interface name.</summary>
/// <param name="PodUid">The pod UID they were assigned to.</param>
/// <param name="Vifs">The VIFs.</param>
/// <param name="Source"><c>watch</c> or <c>redis</c>: where they came from first.</param>
public sealed record PodVifs(string PodUid, IReadOnlyList<PodVif> Vifs, string Source)
{
    /// <summary>True when every VIF is active.</summary>
    public bool AllActive => Vifs.Count > 0 && Vifs.All(v => v.Vif.Active == true);
}

/// <summary>The pod's VIFs did not arrive (or not active, or not for this pod UID) in time.</summary>
public sealed class VifWaitTimeoutException : Exception
{
    public VifWaitTimeoutException() { }

    public VifWaitTimeoutException(string message) : base(message) { }

    public VifWaitTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}
