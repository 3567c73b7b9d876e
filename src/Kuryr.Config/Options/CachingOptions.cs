using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary>Shape shared by Kuryr's memoization sections (<c>caching</c>, <c>cache_time</c>).</summary>
public abstract class CachingOptions
{
    [ConfigurationKeyName("caching")]
    [Description("Cache the lookups of this section.")]
    public bool Caching { get; set; } = true;

    [ConfigurationKeyName("cache_time"), KuryrRange(1)]
    [Description("Time (in seconds) a cached entry is kept.")]
    public int CacheTimeSeconds { get; set; } = 3600;

    /// <summary><see cref="CacheTimeSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan CacheTime => TimeSpan.FromSeconds(CacheTimeSeconds);
}

/// <summary><c>[node_driver_caching]</c>: the node <c>pod_vif</c> label lookup.</summary>
[KuryrSection("node_driver_caching")]
public sealed class NodeDriverCachingOptions : CachingOptions
{
}

/// <summary><c>[subnet_caching]</c>: Neutron subnet/network lookups.</summary>
[KuryrSection("subnet_caching")]
public sealed class SubnetCachingOptions : CachingOptions
{
}

/// <summary><c>[nodes_caching]</c>: node IP and worker subnet lookups.</summary>
[KuryrSection("nodes_caching")]
public sealed class NodesCachingOptions : CachingOptions
{
}
