namespace Kuryr.Kubernetes.Crds;

/// <summary>
/// Installs the CRDs of <see cref="CrdManifests"/> at controller start: creates missing ones,
/// replaces one whose spec differs from the manifest, waits until each is <c>Established</c>.
/// Idempotent, and safe when two controllers start at once.
/// </summary>
public interface ICrdInstaller
{
    /// <summary>Ensures every CRD is installed and established; answers what was done to each.</summary>
    Task<IReadOnlyList<CrdInstallResult>> EnsureInstalledAsync(CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="ICrdInstaller.EnsureInstalledAsync"/> did to one CRD.</summary>
public enum CrdInstallAction
{
    /// <summary>The server already had the manifest's spec.</summary>
    Unchanged,

    /// <summary>The CRD was missing and was created.</summary>
    Created,

    /// <summary>The CRD's spec differed and was replaced.</summary>
    Updated,
}

/// <summary>One CRD's outcome.</summary>
/// <param name="Name">e.g. <c>kuryrports.openstack.org</c>.</param>
/// <param name="Action">What was done.</param>
/// <param name="Difference">For <see cref="CrdInstallAction.Updated"/>: the first differing JSON path of the spec.</param>
public sealed record CrdInstallResult(string Name, CrdInstallAction Action, string? Difference = null);

/// <summary>Options of the CRD installer.</summary>
public sealed class CrdInstallerOptions
{
    /// <summary>How long to wait for a CRD to become <c>Established</c>.</summary>
    public TimeSpan EstablishedTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often to look at the CRD's conditions while waiting.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>CRD names to install; empty: every embedded CRD.</summary>
    public List<string> Names { get; set; } = [];
}
