using System.Diagnostics.Metrics;
using Kuryr.Neutron.Diagnostics;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Tests.Transport;
using Kuryr.Neutron.Transport;
using Kuryr.Testing.TestBed;

namespace Kuryr.Neutron.Tests.Diagnostics;

/// <summary>Per-operation metrics, recorded against the real neutron-server (trusted headers).</summary>
public sealed class NeutronMetricsTests(NeutronTestBed bed) : IClassFixture<NeutronTestBed>
{
    private sealed record Measurement(string Instrument, double Value, Dictionary<string, object?> Tags);

    [Fact]
    public async Task Every_exchange_is_counted_and_timed_per_operation_with_status_and_outcome()
    {
        using var h = new TransportHarness(TransportHarness.NoAuth(bed.HeadersEndpoint.ToString()));
        var seen = new List<Measurement>();
        // Resolve the meter first: creating it inside InstrumentPublished would deadlock on the listener's lock.
        var meter = h.Metrics.Meter;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i.Meter, meter))
            {
                l.EnableMeasurementEvents(i);
            }
        };
        void Record(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var d = new Dictionary<string, object?>();
            foreach (var t in tags)
            {
                d[t.Key] = t.Value;
            }

            lock (seen)
            {
                seen.Add(new(i.Name, v, d));
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        await h.Transport.SendAsync(new NeutronRequest("list_networks", HttpMethod.Get, "networks") { Idempotent = true }, CancellationToken.None);
        await Assert.ThrowsAsync<NeutronNotFoundException>(() =>
            h.Transport.SendAsync(new NeutronRequest("get_port", HttpMethod.Get, "ports/" + Guid.NewGuid()) { Idempotent = true }, CancellationToken.None));

        Assert.Equal(NeutronDiagnostics.MeterName, meter.Name);
        var requests = seen.Where(m => m.Instrument == NeutronDiagnostics.RequestsTotal).ToList();
        Assert.Equal(2, requests.Count);
        var ok = Assert.Single(requests, m => (string?)m.Tags["operation"] == "list_networks");
        Assert.Equal("200", ok.Tags["status"]);
        Assert.Equal("success", ok.Tags["outcome"]);
        Assert.Equal("GET", ok.Tags["method"]);
        var missing = Assert.Single(requests, m => (string?)m.Tags["operation"] == "get_port");
        Assert.Equal("404", missing.Tags["status"]);
        Assert.Equal("client_error", missing.Tags["outcome"]);
        var durations = seen.Where(m => m.Instrument == NeutronDiagnostics.RequestDuration).ToList();
        Assert.Equal(["get_port", "list_networks"], durations.Select(d => (string)d.Tags["operation"]!).Order());
        Assert.All(durations, d => Assert.True(d.Value > 0));
    }

    [Fact]
    public async Task Bulk_creates_in_flight_go_up_and_back_down()
    {
        using var h = new TransportHarness(TransportHarness.NoAuth(bed.HeadersEndpoint.ToString()));
        var deltas = new List<long>();
        // Resolve the meter first: creating it inside InstrumentPublished would deadlock on the listener's lock.
        var meter = h.Metrics.Meter;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i.Meter, meter) && i.Name == NeutronDiagnostics.BulkCreatesInFlight)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) =>
        {
            lock (deltas)
            {
                deltas.Add(v);
            }
        });
        listener.Start();

        // An empty bulk create is refused by Neutron (400) after taking and releasing a slot.
        await Assert.ThrowsAnyAsync<NeutronException>(() => h.Transport.SendAsync(
            new NeutronRequest("create_ports", HttpMethod.Post, "ports") { Body = """{"ports": [{"network_id": "does-not-exist"}]}"""u8.ToArray(), BulkCreate = true },
            CancellationToken.None));

        Assert.Equal([1L, -1L], deltas);
    }
}
