namespace Kuryr.Kubernetes.LeaderElection;

/// <summary>
/// Campaigns for a Lease and keeps it while running (client-go LeaderElector). A leader that
/// cannot renew within the renew deadline steps down and campaigns again; on clean shutdown the
/// lease is released so another candidate takes over at once.
/// </summary>
public interface ILeaderElector
{
    /// <summary>This candidate's holderIdentity.</summary>
    string Identity { get; }

    /// <summary>Whether this candidate holds the lease now.</summary>
    bool IsLeader { get; }

    /// <summary>The holder last observed in the Lease (null when unknown or released).</summary>
    string? CurrentLeader { get; }

    /// <summary>Raised when this candidate becomes leader. <see cref="LeadershipEventArgs.Term"/> is cancelled when it stops leading.</summary>
    event EventHandler<LeadershipEventArgs>? StartedLeading;

    /// <summary>Raised when this candidate stops leading (lost the lease, or shut down).</summary>
    event EventHandler<LeadershipEventArgs>? StoppedLeading;

    /// <summary>Raised when the observed holder changes (any candidate, this one included).</summary>
    event EventHandler<NewLeaderEventArgs>? NewLeader;

    /// <summary>Campaigns until <paramref name="cancellationToken"/> fires, then releases the lease when held.</summary>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Completes when this candidate leads.</summary>
    Task WaitForLeadershipAsync(CancellationToken cancellationToken = default);
}

/// <summary>Arguments of <see cref="ILeaderElector.StartedLeading"/> and <see cref="ILeaderElector.StoppedLeading"/>.</summary>
public sealed class LeadershipEventArgs(string identity, CancellationToken term) : EventArgs
{
    public string Identity { get; } = identity;

    /// <summary>Cancelled when this leadership term ends: stop leader-only work with it.</summary>
    public CancellationToken Term { get; } = term;
}

/// <summary>Arguments of <see cref="ILeaderElector.NewLeader"/>.</summary>
public sealed class NewLeaderEventArgs(string? leader) : EventArgs
{
    /// <summary>The new holder, or null when the lease was released.</summary>
    public string? Leader { get; } = leader;
}
