using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Informers;

/// <summary>What an informer watches and how it recovers. Defaults follow client-go's reflector.</summary>
public sealed class InformerOptions<T>
    where T : KubernetesObject
{
    /// <summary>Namespace to watch; null watches all namespaces (ignored for cluster-scoped resources).</summary>
    public string? Namespace { get; set; }

    /// <summary>Label selector, e.g. <c>kuryr.openstack.org/nodeName=node-1</c>.</summary>
    public string? LabelSelector { get; set; }

    /// <summary>Field selector, e.g. <c>spec.nodeName=node-1</c>.</summary>
    public string? FieldSelector { get; set; }

    /// <summary>Page size of the list (client-go: 500).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Every this often, every cached object is delivered again as an update. Zero: never.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.Zero;

    /// <summary>Shortest server-side watch timeout; each watch picks at random between this and twice this (client-go: 5 min).</summary>
    public TimeSpan MinWatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First reconnect delay after a failed list or watch (client-go: 800 ms).</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Cap of the reconnect delay (client-go: 30 s).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Each delay is stretched by up to this fraction at random (client-go: 1.0).</summary>
    public double BackoffJitter { get; set; } = 1.0;

    /// <summary>Custom indices of the cache (name → values of an object), beside the built-in <c>namespace</c> index.</summary>
    public Dictionary<string, Func<T, IEnumerable<string>>> Indexers { get; set; } = [];

    internal void Validate()
    {
        const string Prefix = "InformerOptions.";
        if (PageSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, Prefix + nameof(PageSize) + " must not be negative (0: no pagination).");
        }

        if (ResyncPeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ResyncPeriod), ResyncPeriod, Prefix + nameof(ResyncPeriod) + " must not be negative.");
        }

        if (MinWatchTimeout < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinWatchTimeout), MinWatchTimeout, Prefix + nameof(MinWatchTimeout) + " must be at least 1 s.");
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBackoff), MaxBackoff, Prefix + nameof(InitialBackoff) + " must be positive and " + nameof(MaxBackoff) + " at least as large.");
        }

        if (BackoffJitter is < 0 or > 10 || double.IsNaN(BackoffJitter))
        {
            throw new ArgumentOutOfRangeException(nameof(BackoffJitter), BackoffJitter, Prefix + nameof(BackoffJitter) + " must be between 0 and 10.");
        }
    }
}
