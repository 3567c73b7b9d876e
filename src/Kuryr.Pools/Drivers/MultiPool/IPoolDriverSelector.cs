namespace Kuryr.Pools.Drivers.MultiPool;

/// <summary>
/// Which pool driver serves a node (Kuryr's <c>multi_pool</c>): the node's <c>pod_vif</c> label
/// through <c>vif_pool_mapping</c> (or the deprecated <c>pools_vif_drivers</c>, inverted), else
/// <c>[kubernetes] pod_vif_driver</c>. With a single pool driver every node gets it.
/// </summary>
public interface IPoolDriverSelector
{
    /// <summary>Every configured pool driver.</summary>
    IReadOnlyList<IPoolDriver> Drivers { get; }

    /// <summary>The driver for a node; throws <see cref="PoolDriverException"/> naming the label when
    /// no driver serves it.</summary>
    Task<IPoolDriver> ForNodeAsync(string nodeName, CancellationToken cancellationToken = default);

    /// <summary>The driver called <paramref name="name"/> (<c>noop</c>, <c>neutron</c>, <c>nested</c>).</summary>
    IPoolDriver ByName(string name);
}
