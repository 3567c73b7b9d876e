using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Kuryr.Agent.Metrics;

/// <summary>The agent's instruments on meter <see cref="MeterName"/>: <c>kuryr_cni_request_duration_seconds{command,error}</c> (Kuryr's name).</summary>
public sealed class AgentMetrics : IDisposable
{
    /// <summary>Meter name of the agent's instruments.</summary>
    public const string MeterName = "Kuryr.Agent";

    private readonly Meter _meter;
    private readonly Histogram<double> _duration;

    public AgentMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _duration = _meter.CreateHistogram<double>("kuryr_cni_request_duration_seconds", "s",
            "Time the agent took to answer one CNI request, per command (ADD, DEL, CHECK, STATUS, GC) and error (true/false).");
    }

    /// <summary>Records one request.</summary>
    public void RecordRequest(string command, bool error, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new TagList { { "command", command }, { "error", error ? "true" : "false" } });

    public void Dispose() => _meter.Dispose();
}
