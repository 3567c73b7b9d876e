using System.Text;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Transport;
using Kuryr.Testing.Time;

namespace Kuryr.Neutron.Tests.Transport;

/// <summary>Transport decisions (retry or not, error mapping, headers, timeout) against a scripted handler.</summary>
public class NeutronTransportTests
{
    private const string Endpoint = "http://neutron.test:9696";

    private static NeutronRequest Get(string path = "networks") => new("list_networks", HttpMethod.Get, path) { Idempotent = true };

    private static NeutronRequest Post() => new("create_network", HttpMethod.Post, "networks") { Body = """{"network":{}}"""u8.ToArray() };

    [Fact]
    public async Task Success_returns_body_status_and_request_id()
    {
        var handler = new ScriptedHandler((_, _, _) => Task.FromResult(ScriptedHandler.Json(200, """{"networks":[]}""", "req-42")));
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint), neutronHandler: () => handler);

        var r = await h.Transport.SendAsync(Get(), CancellationToken.None);

        Assert.Equal(200, r.StatusCode);
        Assert.Equal("req-42", r.RequestId);
        Assert.Equal("""{"networks":[]}""", Encoding.UTF8.GetString(r.Body));
    }

    [Fact]
    public async Task Noauth_sends_trusted_headers_to_the_normalised_endpoint()
    {
        var handler = new ScriptedHandler((_, _, _) => Task.FromResult(ScriptedHandler.Json(200, "{}")));
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint, o =>
        {
            o.UserId = "u1";
            o.Roles = ["admin", "member"];
        }), neutronHandler: () => handler);

        await h.Transport.SendAsync(Post() with { IfMatch = "revision_number=7" }, CancellationToken.None);

        var sent = Assert.Single(handler.Seen);
        Assert.Equal("http://neutron.test:9696/v2.0/networks", sent.RequestUri!.AbsoluteUri);
        Assert.Equal("u1", sent.Headers.GetValues("X-User-Id").Single());
        Assert.Equal("p-test", sent.Headers.GetValues("X-Project-Id").Single());
        Assert.Equal("admin,member", sent.Headers.GetValues("X-Roles").Single());
        Assert.Equal("revision_number=7", sent.Headers.GetValues("If-Match").Single());
        Assert.Equal("application/json", sent.Content!.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Idempotent_call_is_retried_on_transient_5xx(int status)
    {
        var handler = new ScriptedHandler((_, n, _) => Task.FromResult(n < 3 ? ScriptedHandler.Json(status, "") : ScriptedHandler.Json(200, "{}")));
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint), neutronHandler: () => handler);

        var r = await h.Transport.SendAsync(Get(), CancellationToken.None);

        Assert.Equal(200, r.StatusCode);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task Retries_are_bounded_by_max_retries()
    {
        var handler = new ScriptedHandler((_, _, _) => Task.FromResult(ScriptedHandler.Json(503, "", "req-x")));
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint, o => o.MaxRetries = 2), neutronHandler: () => handler);

        var e = await Assert.ThrowsAsync<NeutronServerException>(() => h.Transport.SendAsync(Get(), CancellationToken.None));

        Assert.Equal(503, e.StatusCode);
        Assert.Equal("req-x", e.RequestId);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task Max_retries_zero_means_one_attempt()
    {
        var handler = new ScriptedHandler((_, _, _) => Task.FromResult(ScriptedHandler.Json(503, "")));
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint, o => o.MaxRetries = 0), neutronHandler: () => handler);

        await Assert.ThrowsAsync<NeutronServerException>(() => h.Transport.SendAsync(Get(), CancellationToken.None));

        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Non_idempotent_call_is_never_retried()
    {
        var handler = new ScriptedHandler((_, _, _) => Task.FromResult(ScriptedHandler.Json(503, "")));
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint), neutronHandler: () => handler);

        await Assert.ThrowsAsync<NeutronServerException>(() => h.Transport.SendAsync(Post(), CancellationToken.None));

        Assert.Equal(1, handler.Calls);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(501)]
    public async Task Non_transient_errors_are_not_retried(int status)
    {
        var handler = new ScriptedHandler((_, _, _) => Task.FromResult(ScriptedHandler.Json(status, "")));
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint), neutronHandler: () => handler);

        var e = await Assert.ThrowsAnyAsync<NeutronException>(() => h.Transport.SendAsync(Get(), CancellationToken.None));

        Assert.Equal(status, e.StatusCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Connection_failure_of_idempotent_call_is_retried()
    {
        var handler = new ScriptedHandler((_, n, _) => n == 1
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused"))
            : Task.FromResult(ScriptedHandler.Json(200, "{}")));
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint), neutronHandler: () => handler);

        await h.Transport.SendAsync(Get(), CancellationToken.None);

        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task Connection_failure_of_post_surfaces_as_connection_exception()
    {
        var handler = new ScriptedHandler((_, _, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection reset")));
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint), neutronHandler: () => handler);

        var e = await Assert.ThrowsAsync<NeutronConnectionException>(() => h.Transport.SendAsync(Post(), CancellationToken.None));

        Assert.Equal(0, e.StatusCode);
        Assert.Equal("create_network", e.Operation);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Timeout_is_measured_on_the_time_provider_and_reported_as_no_answer()
    {
        var time = new ManualTimeProvider();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, _, ct) =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint, o => o.Timeout = 5), time, neutronHandler: () => handler);

        var call = h.Transport.SendAsync(Post(), CancellationToken.None);
        await arrived.Task;
        time.Advance(TimeSpan.FromSeconds(5));

        var e = await Assert.ThrowsAsync<NeutronConnectionException>(() => call);
        Assert.Contains("timed out after 5 s", e.Message);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_neutron_error()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, _, ct) =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint), neutronHandler: () => handler);
        using var cts = new CancellationTokenSource();

        var call = h.Transport.SendAsync(Get(), cts.Token);
        await arrived.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Retry_backoff_waits_on_the_injected_time_provider()
    {
        var time = new ManualTimeProvider();
        var start = time.GetUtcNow();
        DateTimeOffset? secondAttemptAt = null;
        var handler = new ScriptedHandler((_, n, _) =>
        {
            if (n == 1)
            {
                return Task.FromResult(ScriptedHandler.Json(503, ""));
            }

            secondAttemptAt = time.GetUtcNow();
            return Task.FromResult(ScriptedHandler.Json(200, "{}"));
        });
        // A 1000 s backoff: the test would hang if the delay ran on the wall clock.
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint, o =>
        {
            o.RetryBackoff = 1000;
            o.RetryBackoffMax = 1000;
            o.Timeout = 100_000;
        }), time, neutronHandler: () => handler);

        var call = h.Transport.SendAsync(Get(), CancellationToken.None);
        for (var i = 0; i < 1000 && !call.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(50));
            await Task.Delay(5);
        }

        await call;
        Assert.Equal(2, handler.Calls);
        Assert.NotNull(secondAttemptAt);
        Assert.True(secondAttemptAt > start, "the retry happened before the injected clock moved");
    }

    [Fact]
    public async Task Noauth_401_is_not_retried_or_reauthenticated()
    {
        var handler = new ScriptedHandler((_, _, _) => Task.FromResult(ScriptedHandler.Json(401, "")));
        using var h = new TransportHarness(TransportHarness.NoAuth(Endpoint), neutronHandler: () => handler);

        await Assert.ThrowsAsync<NeutronUnauthorizedException>(() => h.Transport.SendAsync(Get(), CancellationToken.None));

        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public void Transient_classification()
    {
        Assert.True(NeutronTransport.IsTransient(new NeutronConnectionException("op", "x")));
        Assert.True(NeutronTransport.IsTransient(new NeutronServerException("op", 502, null, "x", null)));
        Assert.False(NeutronTransport.IsTransient(new NeutronServerException("op", 501, null, "x", null)));
        Assert.False(NeutronTransport.IsTransient(new NeutronConflictException("op", "PortInUse", "x", null)));
        Assert.False(NeutronTransport.IsTransient(new NeutronEndpointNotFoundException("op", "x")));
        Assert.False(NeutronTransport.IsTransient(new NeutronAuthenticationException("op", 401, "x", null)));
    }
}
