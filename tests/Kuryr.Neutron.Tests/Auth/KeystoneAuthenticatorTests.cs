using System.Text;
using System.Text.Json;
using Kuryr.Config.Options;
using Kuryr.Neutron.Auth;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Tests.Transport;
using Kuryr.Testing.Time;

namespace Kuryr.Neutron.Tests.Auth;

/// <summary>Token reuse, refresh timing, single flight and request shapes, against a scripted Keystone.</summary>
public class KeystoneAuthenticatorTests
{
    private const string AuthUrl = "http://keystone.test:5000/v3";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private static Action<NeutronOptions> Password(Action<NeutronOptions>? more = null) => o =>
    {
        o.AuthType = "password";
        o.AuthUrl = AuthUrl;
        o.Username = "kuryr";
        o.UserDomainName = "Default";
        o.Password = "sup3r-s3cret";
        o.ProjectName = "k8s";
        o.ProjectDomainName = "Default";
        o.TokenRefreshMargin = 120;
        o.RequestsPerSecond = 0;
        more?.Invoke(o);
    };

    /// <summary>A Keystone that issues token-1, token-2, ... with a one-hour lifetime and a network endpoint.</summary>
    private static ScriptedHandler Keystone(Func<int, Task>? before = null, string catalogType = "network") => new(async (_, n, _) =>
    {
        if (before is not null)
        {
            await before(n);
        }

        var issued = new DateTimeOffset(2030, 5, 1, 10, 0, 0, TimeSpan.Zero);
        var body = $$$"""
            {"token": {"issued_at": "{{{issued:yyyy-MM-ddTHH:mm:ss.ffffffZ}}}", "expires_at": "{{{(issued + Lifetime):yyyy-MM-ddTHH:mm:ss.ffffffZ}}}",
             "project": {"id": "pid", "name": "k8s"},
             "catalog": [{"type": "{{{catalogType}}}", "name": "neutron", "endpoints": [
                {"interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "http://neutron-public:9696"},
                {"interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "http://neutron-internal:9696"}]}]}}
            """;
        var r = ScriptedHandler.Json(201, body);
        r.Headers.TryAddWithoutValidation("X-Subject-Token", $"token-{n}");
        return r;
    });

    private static string Token(NeutronCredentials c) => c.Headers.Single(h => h.Key == "X-Auth-Token").Value;

    [Fact]
    public async Task Token_is_reused_until_the_refresh_margin_before_expiry()
    {
        var time = new ManualTimeProvider();
        var keystone = Keystone();
        using var h = new TransportHarness(Password(), time, keystoneHandler: () => keystone);
        var auth = h.Authenticator;

        var first = await auth.GetAsync(CancellationToken.None);
        time.Advance(Lifetime - TimeSpan.FromSeconds(121));
        var second = await auth.GetAsync(CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(1, keystone.Calls);

        time.Advance(TimeSpan.FromSeconds(2));
        var third = await auth.GetAsync(CancellationToken.None);

        Assert.Equal("token-2", Token(third));
        Assert.Equal(2, keystone.Calls);
    }

    [Fact]
    public async Task Endpoint_comes_from_the_catalog_in_valid_interfaces_order_and_is_normalised()
    {
        var keystone = Keystone();
        using var h = new TransportHarness(Password(o => o.ValidInterfaces = ["public", "internal"]), keystoneHandler: () => keystone);

        var c = await h.Authenticator.GetAsync(CancellationToken.None);

        Assert.Equal("http://neutron-public:9696/v2.0/", c.Endpoint.ToString());
        Assert.Equal("token-1", Token(c));
    }

    [Fact]
    public async Task Endpoint_override_wins_over_the_catalog()
    {
        var keystone = Keystone();
        using var h = new TransportHarness(Password(o => o.EndpointOverride = "http://override:1/v2.0"), keystoneHandler: () => keystone);

        var c = await h.Authenticator.GetAsync(CancellationToken.None);

        Assert.Equal("http://override:1/v2.0/", c.Endpoint.ToString());
    }

    [Fact]
    public async Task Concurrent_callers_share_one_keystone_request()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var keystone = Keystone(_ => release.Task);
        using var h = new TransportHarness(Password(), keystoneHandler: () => keystone);

        var callers = Enumerable.Range(0, 20).Select(_ => h.Authenticator.GetAsync(CancellationToken.None).AsTask()).ToArray();
        release.SetResult();
        var all = await Task.WhenAll(callers);

        Assert.Equal(1, keystone.Calls);
        Assert.All(all, c => Assert.Equal("token-1", Token(c)));
    }

    [Fact]
    public async Task Reauthentication_after_a_401_fetches_one_new_token_for_all_who_saw_the_old_one()
    {
        var keystone = Keystone();
        using var h = new TransportHarness(Password(), keystoneHandler: () => keystone);
        var rejected = await h.Authenticator.GetAsync(CancellationToken.None);

        var renewed = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => h.Authenticator.ReauthenticateAsync(rejected, CancellationToken.None).AsTask()));
        var late = await h.Authenticator.ReauthenticateAsync(rejected, CancellationToken.None);

        Assert.Equal(2, keystone.Calls);
        Assert.All(renewed, c => Assert.Equal("token-2", Token(c)));
        Assert.Equal("token-2", Token(late));
    }

    [Fact]
    public async Task A_failed_keystone_request_is_not_cached()
    {
        var keystone = new ScriptedHandler((_, n, _) => Task.FromResult(n == 1
            ? ScriptedHandler.Json(503, "")
            : ScriptedHandler.Json(401, """{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}""", "req-k")));
        using var h = new TransportHarness(Password(), keystoneHandler: () => keystone);

        await Assert.ThrowsAsync<NeutronServerException>(() => h.Authenticator.GetAsync(CancellationToken.None).AsTask());
        var e = await Assert.ThrowsAsync<NeutronAuthenticationException>(() => h.Authenticator.GetAsync(CancellationToken.None).AsTask());

        Assert.Equal(2, keystone.Calls);
        Assert.Equal(401, e.KeystoneStatusCode);
        Assert.Equal("req-k", e.RequestId);
    }

    [Fact]
    public async Task Bad_credentials_error_names_auth_url_user_and_project_but_no_secret()
    {
        var keystone = new ScriptedHandler((_, _, _) => Task.FromResult(
            ScriptedHandler.Json(401, """{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}""")));
        using var h = new TransportHarness(Password(), keystoneHandler: () => keystone);

        var e = await Assert.ThrowsAsync<NeutronAuthenticationException>(() => h.Authenticator.GetAsync(CancellationToken.None).AsTask());

        Assert.Contains("http://keystone.test:5000/v3/auth/tokens", e.Message);
        Assert.Contains("user 'kuryr' (domain 'Default')", e.Message);
        Assert.Contains("project 'k8s'", e.Message);
        Assert.DoesNotContain("sup3r-s3cret", e.ToString());
        Assert.IsAssignableFrom<NeutronUnauthorizedException>(e);
    }

    [Fact]
    public async Task Catalog_without_the_service_fails_with_an_endpoint_error()
    {
        var keystone = Keystone(catalogType: "compute");
        using var h = new TransportHarness(Password(o => o.RegionName = "RegionOne"), keystoneHandler: () => keystone);

        var e = await Assert.ThrowsAsync<NeutronEndpointNotFoundException>(() => h.Authenticator.GetAsync(CancellationToken.None).AsTask());

        Assert.Contains("'network'", e.Message);
        Assert.Contains("internal, public", e.Message);
        Assert.Contains("'RegionOne'", e.Message);
    }

    [Fact]
    public async Task Password_request_by_names_and_domains()
    {
        var doc = await CaptureRequestAsync(Password());

        var auth = doc.RootElement.GetProperty("auth");
        Assert.Equal("password", auth.GetProperty("identity").GetProperty("methods")[0].GetString());
        var user = auth.GetProperty("identity").GetProperty("password").GetProperty("user");
        Assert.Equal("kuryr", user.GetProperty("name").GetString());
        Assert.Equal("Default", user.GetProperty("domain").GetProperty("name").GetString());
        Assert.Equal("sup3r-s3cret", user.GetProperty("password").GetString());
        Assert.False(user.TryGetProperty("id", out _));
        var project = auth.GetProperty("scope").GetProperty("project");
        Assert.Equal("k8s", project.GetProperty("name").GetString());
        Assert.Equal("Default", project.GetProperty("domain").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Password_request_by_ids()
    {
        var doc = await CaptureRequestAsync(Password(o =>
        {
            o.UserId = "uid";
            o.ProjectId = "pid";
            o.UserDomainId = "default";
        }));

        var auth = doc.RootElement.GetProperty("auth");
        var user = auth.GetProperty("identity").GetProperty("password").GetProperty("user");
        Assert.Equal("uid", user.GetProperty("id").GetString());
        Assert.False(user.TryGetProperty("name", out _));
        Assert.False(user.TryGetProperty("domain", out _));
        Assert.Equal("pid", auth.GetProperty("scope").GetProperty("project").GetProperty("id").GetString());
        Assert.False(auth.GetProperty("scope").GetProperty("project").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Application_credential_request_by_id_has_no_scope()
    {
        var doc = await CaptureRequestAsync(o =>
        {
            o.AuthType = "v3applicationcredential";
            o.AuthUrl = "http://keystone.test:5000";
            o.ApplicationCredentialId = "acid";
            o.ApplicationCredentialSecret = "acsecret";
        });

        var auth = doc.RootElement.GetProperty("auth");
        Assert.False(auth.TryGetProperty("scope", out _));
        var ac = auth.GetProperty("identity").GetProperty("application_credential");
        Assert.Equal("application_credential", auth.GetProperty("identity").GetProperty("methods")[0].GetString());
        Assert.Equal("acid", ac.GetProperty("id").GetString());
        Assert.Equal("acsecret", ac.GetProperty("secret").GetString());
        Assert.False(ac.TryGetProperty("user", out _));
    }

    [Fact]
    public async Task Application_credential_request_by_name_and_user()
    {
        var doc = await CaptureRequestAsync(o =>
        {
            o.AuthType = "v3applicationcredential";
            o.AuthUrl = AuthUrl;
            o.ApplicationCredentialName = "kuryr-ac";
            o.ApplicationCredentialSecret = "acsecret";
            o.Username = "kuryr";
            o.UserDomainId = "default";
        });

        var ac = doc.RootElement.GetProperty("auth").GetProperty("identity").GetProperty("application_credential");
        Assert.Equal("kuryr-ac", ac.GetProperty("name").GetString());
        Assert.Equal("kuryr", ac.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("default", ac.GetProperty("user").GetProperty("domain").GetProperty("id").GetString());
    }

    private static async Task<JsonDocument> CaptureRequestAsync(Action<NeutronOptions> configure)
    {
        string? body = null;
        string? uri = null;
        var inner = Keystone();
        var keystone = new ScriptedHandler(async (req, n, ct) =>
        {
            body = Encoding.UTF8.GetString(await req.Content!.ReadAsByteArrayAsync(ct));
            uri = req.RequestUri!.AbsoluteUri;
            return await inner.SendForTestAsync(req, ct);
        });
        using var h = new TransportHarness(configure, keystoneHandler: () => keystone);

        await h.Authenticator.GetAsync(CancellationToken.None);

        Assert.Equal("http://keystone.test:5000/v3/auth/tokens", uri);
        return JsonDocument.Parse(body!);
    }
}
