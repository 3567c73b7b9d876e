namespace Kuryr.Observability.Prometheus;

/// <summary>
/// Listens to a set of <see cref="System.Diagnostics.Metrics.Meter"/>s and renders what they recorded
/// in the Prometheus text exposition format 0.0.4.
/// </summary>
public interface IPrometheusCollector
{
    /// <summary>
    /// Observes the observable instruments, then renders every metric family (sorted by name, series
    /// sorted by labels, so the same state always gives the same text). Safe to call concurrently.
    /// </summary>
    string Collect();
}
