using System.Diagnostics.Metrics;

namespace Kuryr.Neutron.Diagnostics;

/// <summary>The instruments of <see cref="NeutronDiagnostics.MeterName"/>; one per container (a singleton).</summary>
internal sealed class NeutronMetrics : IDisposable
{
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retries;
    private readonly UpDownCounter<long> _bulkInFlight;
    private readonly UpDownCounter<long> _rateLimitedWaiting;
    private readonly Counter<long> _auth;
    private readonly bool _ownsMeter;

    public NeutronMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(NeutronDiagnostics.MeterName) ?? new Meter(NeutronDiagnostics.MeterName);
        _requests = Meter.CreateCounter<long>(NeutronDiagnostics.RequestsTotal, description: "HTTP exchanges with Neutron");
        _duration = Meter.CreateHistogram<double>(NeutronDiagnostics.RequestDuration, unit: "s", description: "Duration of HTTP exchanges with Neutron");
        _retries = Meter.CreateCounter<long>(NeutronDiagnostics.RetriesTotal, description: "Retries of idempotent Neutron calls");
        _bulkInFlight = Meter.CreateUpDownCounter<long>(NeutronDiagnostics.BulkCreatesInFlight, description: "Bulk port creations in flight");
        _rateLimitedWaiting = Meter.CreateUpDownCounter<long>(NeutronDiagnostics.RateLimitedWaiting, description: "Neutron calls waiting for the rate limiter");
        _auth = Meter.CreateCounter<long>(NeutronDiagnostics.AuthTotal, description: "Keystone token requests");
    }

    /// <summary>The meter (tests filter a <see cref="MeterListener"/> on this instance).</summary>
    public Meter Meter { get; }

    public void RequestCompleted(string operation, string method, int status, string outcome, TimeSpan duration)
    {
        _requests.Add(1,
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("method", method),
            new KeyValuePair<string, object?>("status", StatusTag(status)),
            new KeyValuePair<string, object?>("outcome", outcome));
        _duration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void Retry(string operation) => _retries.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void BulkCreateStarted() => _bulkInFlight.Add(1);

    public void BulkCreateFinished() => _bulkInFlight.Add(-1);

    public void RateLimitWaitStarted() => _rateLimitedWaiting.Add(1);

    public void RateLimitWaitFinished() => _rateLimitedWaiting.Add(-1);

    public void Authenticated(string outcome) => _auth.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private static string StatusTag(int status) => status switch
    {
        0 => "0",
        200 => "200",
        201 => "201",
        204 => "204",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
