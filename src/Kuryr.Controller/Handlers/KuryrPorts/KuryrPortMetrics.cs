using System.Diagnostics.Metrics;

namespace Kuryr.Controller.Handlers.KuryrPorts;

/// <summary>The <c>kuryrport</c> handler's instruments (meter <c>Kuryr.Controller</c>).</summary>
internal sealed class KuryrPortMetrics : IDisposable
{
    public const string MeterName = "Kuryr.Controller";

    private readonly Meter _meter = new(MeterName);

    public KuryrPortMetrics() =>
        PodVifLatency = _meter.CreateHistogram<double>("kuryr.controller.pod_vif_latency", "s",
            "Time from the pod's creationTimestamp to its KuryrPort's status.vifs being written");

    public Histogram<double> PodVifLatency { get; }

    public void Dispose() => _meter.Dispose();
}
