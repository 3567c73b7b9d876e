using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Config.Options;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Tests.Transport;
using Kuryr.Neutron.Transport;
using Kuryr.Testing.Proxy;
using Kuryr.Testing.TestBed;
using Kuryr.Testing.Time;

namespace Kuryr.Neutron.Tests.Auth;

/// <summary>
/// Real Keystone (15000) and the Keystone-validated neutron-server (19697), with FaultProxies in
/// front of both to count token requests and inject 401s.
/// </summary>
public sealed class KeystoneAuthIntegrationTests(NeutronTestBed bed) : IClassFixture<NeutronTestBed>, IAsyncLifetime
{
    private const string TokensPath = "/v3/auth/tokens$";
    private FaultProxy _keystone = null!;
    private FaultProxy _neutron = null!;

    public async Task InitializeAsync()
    {
        _keystone = await FaultProxy.StartAsync(bed.KeystoneAuthUrl);
        _neutron = await FaultProxy.StartAsync(bed.KeystoneNeutronEndpoint);
    }

    public async Task DisposeAsync()
    {
        await _keystone.DisposeAsync();
        await _neutron.DisposeAsync();
    }

    private Action<NeutronOptions> Password(Action<NeutronOptions>? more = null) => o =>
    {
        o.AuthType = "password";
        o.AuthUrl = _keystone.BaseAddress.ToString();
        o.Username = bed.AdminUser;
        o.Password = bed.AdminPassword;
        o.UserDomainId = bed.Env["OS_USER_DOMAIN_ID"];
        o.ProjectName = bed.AdminProject;
        o.ProjectDomainId = bed.Env["OS_PROJECT_DOMAIN_ID"];
        o.RegionName = bed.Region;
        o.RequestsPerSecond = 0;
        o.RetryBackoff = 0.01;
        more?.Invoke(o);
    };

    private static NeutronRequest ListNetworks() => new("list_networks", HttpMethod.Get, "networks") { Idempotent = true };

    [Fact]
    public async Task Password_auth_finds_neutron_in_the_catalog_and_calls_it()
    {
        using var h = new TransportHarness(Password(o => o.AuthUrl = bed.KeystoneAuthUrl.ToString()));

        var r = await h.Transport.SendAsync(ListNetworks(), CancellationToken.None);
        var c = await h.Authenticator.GetAsync(CancellationToken.None);

        Assert.Equal(200, r.StatusCode);
        Assert.Equal("http://127.0.0.1:19697/v2.0/", c.Endpoint.ToString());
        Assert.StartsWith("req-", r.RequestId);
    }

    [Fact]
    public async Task Many_neutron_calls_share_one_token()
    {
        using var h = new TransportHarness(Password(o => o.EndpointOverride = _neutron.BaseAddress.ToString()));

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => h.Transport.SendAsync(ListNetworks(), CancellationToken.None)));
        for (var i = 0; i < 5; i++)
        {
            await h.Transport.SendAsync(ListNetworks(), CancellationToken.None);
        }

        // One token for all of them. (A transient error under load is retried, so Neutron may see a
        // 16th GET: the count is a lower bound, the token is what is asserted.)
        Assert.Equal(1, _keystone.Count("POST", TokensPath));
        var gets = _neutron.Requests.Where(q => q.Method == "GET" && q.Path.EndsWith("/v2.0/networks", StringComparison.Ordinal)).ToList();
        Assert.True(gets.Count >= 15, $"{gets.Count} GETs");
        Assert.Single(gets.Select(q => q.Headers["X-Auth-Token"]).Distinct());
    }

    [Fact]
    public async Task Token_is_renewed_once_after_the_clock_passes_expiry_minus_margin()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        using var h = new TransportHarness(Password(o => o.TokenRefreshMargin = 300), time);

        await h.Transport.SendAsync(ListNetworks(), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(30));
        await h.Transport.SendAsync(ListNetworks(), CancellationToken.None);
        Assert.Equal(1, _keystone.Count("POST", TokensPath));

        // Keystone's tokens here live at least an hour and at most a day: a day and a half is past expiry - margin.
        time.Advance(TimeSpan.FromHours(36));
        await h.Transport.SendAsync(ListNetworks(), CancellationToken.None);
        await h.Transport.SendAsync(ListNetworks(), CancellationToken.None);

        Assert.Equal(2, _keystone.Count("POST", TokensPath));
    }

    [Fact]
    public async Task A_401_from_neutron_reauthenticates_once_and_replays()
    {
        using var h = new TransportHarness(Password(o => o.EndpointOverride = _neutron.BaseAddress.ToString()));
        await h.Transport.SendAsync(ListNetworks(), CancellationToken.None);
        _neutron.InjectFault("GET", "/v2.0/networks$", ProxyFault.Status(401, """{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"""));

        var r = await h.Transport.SendAsync(ListNetworks(), CancellationToken.None);

        Assert.Equal(200, r.StatusCode);
        Assert.Equal(2, _keystone.Count("POST", TokensPath));
        Assert.Equal(3, _neutron.Count("GET", "/v2.0/networks$"));
        var tokens = _neutron.Requests.Select(q => q.Headers["X-Auth-Token"]).ToList();
        Assert.Equal(tokens[0], tokens[1]);
        Assert.NotEqual(tokens[1], tokens[2]);
    }

    [Fact]
    public async Task Two_401s_in_a_row_give_up_with_an_auth_error()
    {
        using var h = new TransportHarness(Password(o => o.EndpointOverride = _neutron.BaseAddress.ToString()));
        // Every GET is refused: whatever else happens on the way (a transient Keystone or connection
        // error is retried as a whole, which took the run past two 401s once under load), the call must
        // end in the auth error, after exactly one re-authentication between its last two GETs.
        _neutron.InjectFault("GET", "/v2.0/networks$", ProxyFault.Status(401, """{"error": {"code": 401, "title": "Unauthorized", "message": "nope"}}"""), times: 100);

        var e = await Assert.ThrowsAsync<NeutronUnauthorizedException>(() => h.Transport.SendAsync(ListNetworks(), CancellationToken.None));

        Assert.Equal(401, e.StatusCode);
        var gets = _neutron.Requests.Where(q => q.Method == "GET" && q.Path.EndsWith("/v2.0/networks", StringComparison.Ordinal)).ToList();
        Assert.True(gets.Count >= 2, $"{gets.Count} GETs");
        Assert.NotEqual(gets[^2].Headers["X-Auth-Token"], gets[^1].Headers["X-Auth-Token"]);
        Assert.InRange(_keystone.Count("POST", TokensPath), 2, gets.Count);
    }

    [Fact]
    public async Task Wrong_password_gives_a_clear_auth_error_without_the_secret()
    {
        using var h = new TransportHarness(Password(o => o.Password = "wrong-" + Guid.NewGuid()));

        var e = await Assert.ThrowsAsync<NeutronAuthenticationException>(() => h.Transport.SendAsync(ListNetworks(), CancellationToken.None));

        Assert.Equal(401, e.KeystoneStatusCode);
        Assert.Contains(_keystone.BaseAddress + "/auth/tokens", e.Message);
        Assert.Contains($"user '{bed.AdminUser}'", e.Message);
        Assert.Contains($"project '{bed.AdminProject}'", e.Message);
        Assert.DoesNotContain("wrong-", e.ToString());
        Assert.Equal(1, _keystone.Count("POST", TokensPath));
    }

    [Fact]
    public async Task Application_credential_by_id_and_by_name_work()
    {
        // One connection per request: Keystone under uwsgi drops idle keep-alive connections.
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        var (adminToken, userId) = await AdminTokenAsync(http);
        var name = "kuryr-n1-" + Guid.NewGuid().ToString("N")[..8];
        using var create = new HttpRequestMessage(HttpMethod.Post, $"{bed.KeystoneAuthUrl}/users/{userId}/application_credentials")
        {
            Content = new StringContent($$$"""{"application_credential": {"name": "{{{name}}}"}}""", Encoding.UTF8, "application/json"),
        };
        create.Headers.Add("X-Auth-Token", adminToken);
        using var created = await http.SendAsync(create);
        Assert.Equal(201, (int)created.StatusCode);
        using var doc = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var ac = doc.RootElement.GetProperty("application_credential");
        var id = ac.GetProperty("id").GetString()!;
        var secret = ac.GetProperty("secret").GetString()!;
        try
        {
            using (var byId = new TransportHarness(o =>
            {
                o.AuthType = "v3applicationcredential";
                o.AuthUrl = _keystone.BaseAddress.ToString();
                o.ApplicationCredentialId = id;
                o.ApplicationCredentialSecret = secret;
                o.RequestsPerSecond = 0;
            }))
            {
                Assert.Equal(200, (await byId.Transport.SendAsync(ListNetworks(), CancellationToken.None)).StatusCode);
            }

            using (var byName = new TransportHarness(o =>
            {
                o.AuthType = "v3applicationcredential";
                o.AuthUrl = _keystone.BaseAddress.ToString();
                o.ApplicationCredentialName = name;
                o.Username = bed.AdminUser;
                o.UserDomainId = bed.Env["OS_USER_DOMAIN_ID"];
                o.ApplicationCredentialSecret = secret;
                o.RequestsPerSecond = 0;
            }))
            {
                Assert.Equal(200, (await byName.Transport.SendAsync(ListNetworks(), CancellationToken.None)).StatusCode);
            }

            var bodies = _keystone.Requests.Where(r => r.Method == "POST").Select(r => Encoding.UTF8.GetString(r.Body)).ToList();
            Assert.Equal(2, bodies.Count);
            Assert.All(bodies, b => Assert.Contains("\"application_credential\"", b));
        }
        finally
        {
            // Keystone on SQLite answers "database is locked" (and uwsgi drops the connection)
            // when other test runs write at the same moment: retry the clean-up a few times.
            for (var attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    using var delete = new HttpRequestMessage(HttpMethod.Delete, $"{bed.KeystoneAuthUrl}/users/{userId}/application_credentials/{id}");
                    delete.Headers.Add("X-Auth-Token", adminToken);
                    using var deleted = await http.SendAsync(delete);
                    if ((int)deleted.StatusCode is 204 or 404)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private async Task<(string Token, string UserId)> AdminTokenAsync(HttpClient http)
    {
        var body = new JsonObject
        {
            ["auth"] = new JsonObject
            {
                ["identity"] = new JsonObject
                {
                    ["methods"] = new JsonArray("password"),
                    ["password"] = new JsonObject
                    {
                        ["user"] = new JsonObject { ["name"] = bed.AdminUser, ["domain"] = new JsonObject { ["id"] = bed.Env["OS_USER_DOMAIN_ID"] }, ["password"] = bed.AdminPassword },
                    },
                },
                ["scope"] = new JsonObject
                {
                    ["project"] = new JsonObject { ["name"] = bed.AdminProject, ["domain"] = new JsonObject { ["id"] = bed.Env["OS_PROJECT_DOMAIN_ID"] } },
                },
            },
        }.ToJsonString();
        using var r = await http.PostAsync($"{bed.KeystoneAuthUrl}/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"));
        r.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return (r.Headers.GetValues("X-Subject-Token").Single(), doc.RootElement.GetProperty("token").GetProperty("user").GetProperty("id").GetString()!);
    }
}
