using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kuryr.Pools.State;

namespace Kuryr.Pools.Manager;

/// <summary>Meter <c>Kuryr.Pools</c>.</summary>
internal sealed class PoolMetrics : IDisposable
{
    public const string MeterName = "Kuryr.Pools";

    private readonly Meter _meter = new(MeterName);
    private readonly ConcurrentDictionary<string, long> _available = new(StringComparer.Ordinal);

    public PoolMetrics()
    {
        Takes = _meter.CreateCounter<long>("kuryr.pools.takes", description: "Ports handed out, by kind (match, swap, existing, miss)");
        Populations = _meter.CreateCounter<long>("kuryr.pools.populations", description: "Bulk populations, by result");
        PortsCreated = _meter.CreateCounter<long>("kuryr.pools.ports_created");
        PopulateDuration = _meter.CreateHistogram<double>("kuryr.pools.populate.duration", "s");
        RecycleDuration = _meter.CreateHistogram<double>("kuryr.pools.recycle.duration", "s");
        _meter.CreateObservableGauge("kuryr.pools.available", () =>
            _available.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("pool", kv.Key))),
            description: "Available ports per pool (last read from Redis)");
    }

    public Counter<long> Takes { get; }

    public Counter<long> Populations { get; }

    public Counter<long> PortsCreated { get; }

    public Histogram<double> PopulateDuration { get; }

    public Histogram<double> RecycleDuration { get; }

    public void ObserveAvailable(PoolKey pool, long available) => _available[pool.Id] = available;

    public void Dispose() => _meter.Dispose();
}
