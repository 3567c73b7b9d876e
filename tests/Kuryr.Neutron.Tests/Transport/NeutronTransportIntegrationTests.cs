using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Kuryr.Config.Options;
using Kuryr.Neutron.Diagnostics;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Transport;
using Kuryr.Testing.Proxy;
using Kuryr.Testing.TestBed;

namespace Kuryr.Neutron.Tests.Transport;

/// <summary>The transport against the real neutron-server (trusted headers, 19696), with a FaultProxy in front.</summary>
public sealed class NeutronTransportIntegrationTests(NeutronTestBed bed) : IClassFixture<NeutronTestBed>, IAsyncLifetime
{
    private readonly string _project = "n1-" + Guid.NewGuid().ToString("N")[..12];
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync() => _proxy = await FaultProxy.StartAsync(bed.HeadersEndpoint);

    public async Task DisposeAsync()
    {
        // Clean up everything this test's project created, straight at Neutron.
        using var h = new TransportHarness(Options(bed.HeadersEndpoint.ToString()));
        foreach (var kind in new[] { "ports", "networks" })
        {
            var list = await h.Transport.SendAsync(new NeutronRequest("cleanup", HttpMethod.Get, kind) { Idempotent = true, Query = [new("project_id", _project)] }, CancellationToken.None);
            using var doc = JsonDocument.Parse(list.Body);
            foreach (var item in doc.RootElement.GetProperty(kind).EnumerateArray())
            {
                await h.Transport.SendAsync(new NeutronRequest("cleanup", HttpMethod.Delete, $"{kind}/{item.GetProperty("id").GetString()}") { Idempotent = true }, CancellationToken.None);
            }
        }

        await _proxy.DisposeAsync();
    }

    private Action<NeutronOptions> Options(string endpoint, Action<NeutronOptions>? more = null) => TransportHarness.NoAuth(endpoint, o =>
    {
        o.ProjectId = _project;
        o.RetryBackoff = 0.01;
        more?.Invoke(o);
    });

    private static NeutronRequest CreateNetwork(string name) =>
        new("create_network", HttpMethod.Post, "networks") { Body = Encoding.UTF8.GetBytes($$$"""{"network": {"name": "{{{name}}}"}}""") };

    private static string Id(NeutronResponse r, string resource)
    {
        using var doc = JsonDocument.Parse(r.Body);
        return doc.RootElement.GetProperty(resource).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Round_trip_with_trusted_headers_and_typed_404()
    {
        using var h = new TransportHarness(Options(bed.HeadersEndpoint.ToString()));

        var created = await h.Transport.SendAsync(CreateNetwork("rt"), CancellationToken.None);
        var id = Id(created, "network");
        var got = await h.Transport.SendAsync(new NeutronRequest("get_network", HttpMethod.Get, $"networks/{id}") { Idempotent = true }, CancellationToken.None);
        await h.Transport.SendAsync(new NeutronRequest("delete_network", HttpMethod.Delete, $"networks/{id}") { Idempotent = true }, CancellationToken.None);
        var e = await Assert.ThrowsAsync<NeutronNotFoundException>(() =>
            h.Transport.SendAsync(new NeutronRequest("get_network", HttpMethod.Get, $"networks/{id}") { Idempotent = true }, CancellationToken.None));

        Assert.Equal(201, created.StatusCode);
        Assert.NotNull(created.RequestId);
        Assert.Equal(id, Id(got, "network"));
        Assert.Equal("NetworkNotFound", e.ErrorType);
        Assert.StartsWith("req-", e.RequestId);
        Assert.Contains(id, e.NeutronMessage);
    }

    [Fact]
    public async Task Injected_503_on_a_get_is_retried_and_succeeds()
    {
        using var h = new TransportHarness(Options(_proxy.BaseAddress.ToString()));
        _proxy.InjectFault("GET", "/v2.0/networks$", ProxyFault.Status(503, "Service Unavailable", "text/plain"), times: 2);

        var r = await h.Transport.SendAsync(new NeutronRequest("list_networks", HttpMethod.Get, "networks") { Idempotent = true }, CancellationToken.None);

        Assert.Equal(200, r.StatusCode);
        Assert.Equal(3, _proxy.Count("GET", "/v2.0/networks$"));
    }

    [Fact]
    public async Task Injected_503_on_a_post_is_not_retried()
    {
        using var h = new TransportHarness(Options(_proxy.BaseAddress.ToString()));
        _proxy.InjectFault("POST", "/v2.0/networks$", ProxyFault.Status(503, """{"NeutronError": {"type": "ServiceUnavailable", "message": "busy", "detail": ""}}"""), times: 5);

        var e = await Assert.ThrowsAsync<NeutronServerException>(() => h.Transport.SendAsync(CreateNetwork("no-retry"), CancellationToken.None));

        Assert.Equal(503, e.StatusCode);
        Assert.Equal("ServiceUnavailable", e.ErrorType);
        Assert.Equal(1, _proxy.Count("POST", "/v2.0/networks$"));
    }

    [Fact]
    public async Task Dropped_connection_on_a_get_is_retried()
    {
        using var h = new TransportHarness(Options(_proxy.BaseAddress.ToString()));
        _proxy.InjectFault("GET", "/v2.0/networks$", ProxyFault.Drop());

        var r = await h.Transport.SendAsync(new NeutronRequest("list_networks", HttpMethod.Get, "networks") { Idempotent = true }, CancellationToken.None);

        Assert.Equal(200, r.StatusCode);
        Assert.Equal(2, _proxy.Count("GET", "/v2.0/networks$"));
    }

    [Fact]
    public async Task Post_whose_answer_is_lost_surfaces_as_no_answer_and_is_sent_once()
    {
        using var h = new TransportHarness(Options(_proxy.BaseAddress.ToString()));
        _proxy.InjectFault("POST", "/v2.0/networks$", ProxyFault.Drop(afterForwarding: true));

        var e = await Assert.ThrowsAsync<NeutronConnectionException>(() => h.Transport.SendAsync(CreateNetwork("lost-answer"), CancellationToken.None));

        Assert.Equal(0, e.StatusCode);
        Assert.Equal(1, _proxy.Count("POST", "/v2.0/networks$"));
    }

    [Fact]
    public async Task Bulk_creates_are_capped_at_bulk_create_concurrency()
    {
        using var h = new TransportHarness(Options(_proxy.BaseAddress.ToString(), o => o.BulkCreateConcurrency = 3));
        var networkId = Id(await h.Transport.SendAsync(CreateNetwork("bulk"), CancellationToken.None), "network");
        static bool IsBulkPost(ProxiedRequest r) => r.Method == "POST" && r.Path == "/v2.0/ports";
        var probe = _proxy.TrackConcurrency(IsBulkPost);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _proxy.InjectFault(IsBulkPost, ProxyFault.WaitFor(release.Task), times: int.MaxValue);
        var body = Encoding.UTF8.GetBytes($$"""{"ports": [{"network_id": "{{networkId}}"}, {"network_id": "{{networkId}}"}]}""");

        var calls = Enumerable.Range(0, 12)
            .Select(_ => h.Transport.SendAsync(new NeutronRequest("create_ports", HttpMethod.Post, "ports") { Body = body, BulkCreate = true }, CancellationToken.None))
            .ToArray();
        for (var i = 0; i < 600 && probe.InFlight < 3; i++)
        {
            await Task.Delay(50);
        }

        // Hold the first requests at the proxy a moment so that any beyond the cap would show up too.
        Assert.Equal(3, probe.InFlight);
        Assert.Equal(9, h.Throttle.BulkCreateQueued);
        release.SetResult();
        var responses = await Task.WhenAll(calls);

        Assert.Equal(3, probe.MaxInFlight);
        Assert.Equal(12, probe.Total);
        Assert.All(responses, r => Assert.Equal(201, r.StatusCode));
        Assert.Equal(24, responses.Sum(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("ports").GetArrayLength()));
    }

    [Fact]
    public async Task Requests_over_the_rate_limit_are_delayed_not_dropped()
    {
        using var h = new TransportHarness(Options(_proxy.BaseAddress.ToString(), o =>
        {
            o.RequestsPerSecond = 4;
            o.RequestsBurst = 2;
        }));
        var waits = 0;
        // Resolve the meter first: creating it inside InstrumentPublished would deadlock on the listener's lock.
        var meter = h.Metrics.Meter;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (ReferenceEquals(i.Meter, meter) && i.Name == NeutronDiagnostics.RateLimitedWaiting)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) =>
        {
            if (v > 0)
            {
                Interlocked.Increment(ref waits);
            }
        });
        listener.Start();

        var all = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            h.Transport.SendAsync(new NeutronRequest("list_networks", HttpMethod.Get, "networks") { Idempotent = true }, CancellationToken.None)));

        Assert.All(all, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(6, _proxy.Count("GET", "/v2.0/networks$"));
        Assert.InRange(waits, 2, 4);
        Assert.Equal(0, h.Throttle.RateLimitQueued);
    }
}
