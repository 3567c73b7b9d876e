namespace Kuryr.Kubernetes.LeaderElection;

/// <summary>
/// Lease-based leader election (<c>coordination.k8s.io/v1</c> Lease). Durations default to
/// client-go's: 15 s lease, 10 s renew deadline, 2 s retry period.
/// </summary>
public sealed class LeaderElectionOptions
{
    /// <summary>Name of the Lease object.</summary>
    public string LeaseName { get; set; } = "kuryr-controller";

    /// <summary>Namespace of the Lease object.</summary>
    public string LeaseNamespace { get; set; } = "kube-system";

    /// <summary>This candidate's identity (holderIdentity); defaults to the host name plus a random suffix.</summary>
    public string? Identity { get; set; }

    /// <summary>How long non-leaders wait after the last observed renewal before taking over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying to renew before it steps down.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long candidates wait between attempts (acquire: plus up to 1.2× jitter).</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>On clean shutdown, release the lease (clear holderIdentity) so another candidate takes over at once.</summary>
    public bool ReleaseOnCancel { get; set; } = true;

    /// <summary>Retry jitter of acquire attempts (client-go JitterFactor).</summary>
    internal const double JitterFactor = 1.2;

    internal void Validate()
    {
        const string P = "LeaderElectionOptions.";
        if (string.IsNullOrWhiteSpace(LeaseName))
        {
            throw new ArgumentException(P + nameof(LeaseName) + " is required.", nameof(LeaseName));
        }

        if (string.IsNullOrWhiteSpace(LeaseNamespace))
        {
            throw new ArgumentException(P + nameof(LeaseNamespace) + " is required.", nameof(LeaseNamespace));
        }

        if (Identity is not null && string.IsNullOrWhiteSpace(Identity))
        {
            throw new ArgumentException(P + nameof(Identity) + " must not be blank.", nameof(Identity));
        }

        if (RetryPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryPeriod), RetryPeriod, P + nameof(RetryPeriod) + " must be positive.");
        }

        if (RenewDeadline <= RetryPeriod * JitterFactor)
        {
            throw new ArgumentOutOfRangeException(nameof(RenewDeadline), RenewDeadline, $"{P}{nameof(RenewDeadline)} must be greater than {JitterFactor} × {nameof(RetryPeriod)} ({RetryPeriod * JitterFactor}).");
        }

        if (LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseDuration), LeaseDuration, $"{P}{nameof(LeaseDuration)} must be greater than {nameof(RenewDeadline)} ({RenewDeadline}).");
        }

        if (LeaseDuration.TotalSeconds % 1 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseDuration), LeaseDuration, P + nameof(LeaseDuration) + " must be whole seconds (Lease.spec.leaseDurationSeconds).");
        }
    }
}
