using Kuryr.Config.Options;
using Kuryr.Neutron.Auth;
using Kuryr.Neutron.Diagnostics;
using Kuryr.Neutron.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Neutron.Tests.Transport;

/// <summary>Builds the transport through <c>AddNeutronTransport</c>, as production does.</summary>
internal sealed class TransportHarness : IDisposable
{
    private readonly ServiceProvider _provider;

    public TransportHarness(Action<NeutronOptions> configure, TimeProvider? timeProvider = null, Func<HttpMessageHandler>? neutronHandler = null, Func<HttpMessageHandler>? keystoneHandler = null)
    {
        var services = new ServiceCollection();
        services.AddOptions<NeutronOptions>().Configure(configure);
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddNeutronTransport();
        if (neutronHandler is not null)
        {
            services.AddHttpClient(NeutronTransport.HttpClientName).ConfigurePrimaryHttpMessageHandler(neutronHandler);
        }

        if (keystoneHandler is not null)
        {
            services.AddHttpClient(KeystoneAuthenticator.HttpClientName).ConfigurePrimaryHttpMessageHandler(keystoneHandler);
        }

        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public INeutronTransport Transport => _provider.GetRequiredService<INeutronTransport>();

    public INeutronAuthenticator Authenticator => _provider.GetRequiredService<INeutronAuthenticator>();

    public NeutronThrottle Throttle => _provider.GetRequiredService<NeutronThrottle>();

    public NeutronMetrics Metrics => _provider.GetRequiredService<NeutronMetrics>();

    /// <summary>Noauth options against <paramref name="endpoint"/> with no retry delay and no rate limit.</summary>
    public static Action<NeutronOptions> NoAuth(string endpoint, Action<NeutronOptions>? more = null) => o =>
    {
        o.AuthType = "noauth";
        o.EndpointOverride = endpoint;
        o.ProjectId = "p-test";
        o.RetryBackoff = 0;
        o.RequestsPerSecond = 0;
        more?.Invoke(o);
    };

    public void Dispose() => _provider.Dispose();
}

/// <summary>An <see cref="HttpMessageHandler"/> that answers from a script (unit tests of pure transport logic).</summary>
internal sealed class ScriptedHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private int _calls;
    private readonly List<HttpRequestMessage> _seen = [];

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<HttpRequestMessage> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public static HttpResponseMessage Json(int status, string body, string? requestId = null)
    {
        var r = new HttpResponseMessage((System.Net.HttpStatusCode)status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        if (requestId is not null)
        {
            r.Headers.TryAddWithoutValidation("x-openstack-request-id", requestId);
        }

        return r;
    }

    /// <summary>Lets one scripted handler delegate to another.</summary>
    public Task<HttpResponseMessage> SendForTestAsync(HttpRequestMessage request, CancellationToken cancellationToken) => SendAsync(request, cancellationToken);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _calls);
        lock (_seen)
        {
            _seen.Add(request);
        }

        return respond(request, n, cancellationToken);
    }
}
