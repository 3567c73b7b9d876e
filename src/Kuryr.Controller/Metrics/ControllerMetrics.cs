using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kuryr.Kubernetes.LeaderElection;

namespace Kuryr.Controller.Metrics;

/// <summary>
/// The controller's own instruments on meter <see cref="MeterName"/>: the leader gauge and the
/// handler event counters and durations (per handler and result). The kuryrport handler adds the
/// pod-to-VIF latency histogram on the same meter name.
/// </summary>
public sealed class ControllerMetrics : IDisposable
{
    /// <summary>Meter name of the controller's instruments.</summary>
    public const string MeterName = "Kuryr.Controller";

    /// <summary>Handler results (the <c>result</c> tag).</summary>
    public static class Results
    {
        public const string Success = "success";
        public const string NotReady = "not_ready";
        public const string Error = "error";
        public const string Cancelled = "cancelled";
    }

    private readonly Meter _meter;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _duration;
    private Func<bool>? _isLeader;

    public ControllerMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _events = _meter.CreateCounter<long>("kuryr.controller.handler.events", "{event}",
            "Events handled per handler and result (success, not_ready, error, cancelled).");
        _duration = _meter.CreateHistogram<double>("kuryr.controller.handler.duration", "s",
            "Time one handler call took, per handler and result.");
        _meter.CreateObservableGauge("kuryr.controller.leader", () => _isLeader is { } f ? (f() ? 1 : 0) : 0, "{leader}",
            "1 while this kuryr-controller holds the leader Lease, else 0.");
    }

    /// <summary>Makes the leader gauge follow <paramref name="elector"/>.</summary>
    public void TrackLeader(ILeaderElector elector)
    {
        ArgumentNullException.ThrowIfNull(elector);
        _isLeader = () => elector.IsLeader;
    }

    /// <summary>Counts one handler call.</summary>
    public void RecordEvent(string handler, string result, TimeSpan duration)
    {
        var tags = new TagList { { "handler", handler }, { "result", result } };
        _events.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    public void Dispose() => _meter.Dispose();
}
