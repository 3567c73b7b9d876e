using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[vif_pool]</c>: pool sizes and pacing (Kuryr's names and defaults), plus Kuryr.Node's
/// <c>populate_lock_timeout</c> and <c>gc_grace_period</c> (Kuryr hard-coded both).</summary>
[KuryrSection("vif_pool")]
public sealed class VifPoolOptions
{
    [ConfigurationKeyName("ports_pool_max"), KuryrRange(0)]
    [Description("Maximum number of ports per pool; released ports above it are deleted. 0 disables the limit.")]
    public int PortsPoolMax { get; set; }

    [ConfigurationKeyName("ports_pool_min"), KuryrRange(0)]
    [Description("Target minimum number of ports per pool; a refill starts below it.")]
    public int PortsPoolMin { get; set; } = 5;

    [ConfigurationKeyName("ports_pool_batch"), KuryrRange(1)]
    [Description("Number of ports created by one bulk request (a refill creates max(batch, min - size)).")]
    public int PortsPoolBatch { get; set; } = 10;

    [ConfigurationKeyName("ports_pool_update_frequency"), KuryrRange(1)]
    [Description("Interval (in seconds) between recycle passes that return released ports to their pools.")]
    public int PortsPoolUpdateFrequencySeconds { get; set; } = 20;

    [ConfigurationKeyName("vif_pool_mapping")]
    [Description("pod_vif_driver:pool_driver pairs for multi_pool, e.g. nested-vlan:nested,neutron-vif:neutron.")]
    public IDictionary<string, string> VifPoolMapping { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    [ConfigurationKeyName("pools_vif_drivers"), KuryrDeprecated("since Stein: use vif_pool_mapping (pod_driver:pool_driver) instead")]
    [Description("Deprecated: pool_driver:pod_vif_driver pairs; used inverted when vif_pool_mapping is empty.")]
    public IDictionary<string, string> PoolsVifDrivers { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    [ConfigurationKeyName("populate_lock_timeout"), KuryrRange(1), KuryrNodeOption]
    [Description("Longest wait (in seconds) for the per-pool population lock (Kuryr hard-coded 420).")]
    public int PopulateLockTimeoutSeconds { get; set; } = 420;

    [ConfigurationKeyName("gc_grace_period"), KuryrRange(0), KuryrNodeOption]
    [Description("Garbage collection never deletes a port younger than this (in seconds).")]
    public int GcGracePeriodSeconds { get; set; } = 600;

    [ConfigurationKeyName("gc_interval"), KuryrRange(1), KuryrNodeOption]
    [Description("Seconds between two garbage-collection listings of our ports (Kuryr hard-coded 600); a leaked port goes after two listings once older than gc_grace_period.")]
    public int GcIntervalSeconds { get; set; } = 600;

    /// <summary><see cref="GcIntervalSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan GcInterval => TimeSpan.FromSeconds(GcIntervalSeconds);

    /// <summary><see cref="PortsPoolUpdateFrequencySeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan PortsPoolUpdateFrequency => TimeSpan.FromSeconds(PortsPoolUpdateFrequencySeconds);

    /// <summary><see cref="PopulateLockTimeoutSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan PopulateLockTimeout => TimeSpan.FromSeconds(PopulateLockTimeoutSeconds);

    /// <summary><see cref="GcGracePeriodSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan GcGracePeriod => TimeSpan.FromSeconds(GcGracePeriodSeconds);
}
