using System.Net.Http.Headers;
using System.Text.Json;
using Kuryr.Config.Options;
using Kuryr.Neutron.Diagnostics;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Neutron.Auth;

/// <summary>
/// Keystone v3 tokens (<c>password</c>/<c>v3password</c> or <c>v3applicationcredential</c>).
/// A token is reused until <c>token_refresh_margin</c> before it expires (measured on the
/// injected <see cref="TimeProvider"/>, from the token's own lifetime so clock skew with Keystone
/// does not matter); concurrent callers share one Keystone request; after a 401 from Neutron one
/// new token is fetched unless another caller already replaced the rejected one.
/// </summary>
internal sealed partial class KeystoneAuthenticator : INeutronAuthenticator
{
    /// <summary>Name of the <see cref="HttpClient"/> registered for Keystone.</summary>
    public const string HttpClientName = "Kuryr.Neutron.Keystone";

    private const string Operation = "keystone_authenticate";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly NeutronOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly NeutronMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Uri _tokensUri;
    private readonly NeutronAuthKind _kind;
    private readonly Lock _gate = new();
    private Token? _current;
    private Task<Token>? _pending;

    public KeystoneAuthenticator(
        IHttpClientFactory httpClientFactory,
        IOptions<NeutronOptions> options,
        TimeProvider timeProvider,
        NeutronMetrics metrics,
        ILogger<KeystoneAuthenticator> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _kind = NeutronAuthKinds.Parse(_options.AuthType) ?? throw new ArgumentException($"[neutron] auth_type '{_options.AuthType}' is not supported", nameof(options));
        _tokensUri = TokensUri(_options.AuthUrl);
        Identity = DescribeIdentity(_options, _kind);
    }

    /// <summary>Who we authenticate as, for messages (never a secret).</summary>
    internal string Identity { get; }

    /// <summary>Keystone token requests made so far (successful or not).</summary>
    internal int AuthenticationCount => Volatile.Read(ref _authenticationCount);

    private int _authenticationCount;

    public bool CanReauthenticate => true;

    public ValueTask<NeutronCredentials> GetAsync(CancellationToken cancellationToken)
    {
        Task<Token> task;
        lock (_gate)
        {
            if (_current is { } current && IsFresh(current))
            {
                return ValueTask.FromResult(current.Credentials);
            }

            task = _pending ??= RunAuthenticationAsync();
        }

        return WaitAsync(task, cancellationToken);
    }

    public ValueTask<NeutronCredentials> ReauthenticateAsync(NeutronCredentials rejected, CancellationToken cancellationToken)
    {
        Task<Token> task;
        lock (_gate)
        {
            if (_current is { } current && !ReferenceEquals(current.Credentials, rejected) && IsFresh(current))
            {
                return ValueTask.FromResult(current.Credentials);
            }

            if (_current is { } stale && ReferenceEquals(stale.Credentials, rejected))
            {
                _current = null;
            }

            task = _pending ??= RunAuthenticationAsync();
        }

        return WaitAsync(task, cancellationToken);
    }

    private static async ValueTask<NeutronCredentials> WaitAsync(Task<Token> task, CancellationToken cancellationToken) =>
        (await task.WaitAsync(cancellationToken)).Credentials;

    private bool IsFresh(Token token) => _timeProvider.GetUtcNow() < token.RefreshAt;

    /// <summary>One Keystone request shared by every caller waiting meanwhile; not cancelled by any one of them.</summary>
    private async Task<Token> RunAuthenticationAsync()
    {
        await Task.Yield();
        try
        {
            var token = await AuthenticateAsync();
            lock (_gate)
            {
                _current = token;
                _pending = null;
            }

            return token;
        }
        catch
        {
            lock (_gate)
            {
                _pending = null;
            }

            throw;
        }
    }

    private async Task<Token> AuthenticateAsync()
    {
        Interlocked.Increment(ref _authenticationCount);
        var body = JsonSerializer.SerializeToUtf8Bytes(BuildRequest(), KeystoneJsonContext.Default.KeystoneAuthRequest);
        using var message = new HttpRequestMessage(HttpMethod.Post, _tokensUri)
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var requestedAt = _timeProvider.GetUtcNow();
        var timeout = TimeSpan.FromSeconds(_options.Timeout);
        using var cts = new CancellationTokenSource(timeout, _timeProvider);
        HttpResponseMessage response;
        byte[] bytes;
        try
        {
            var client = _httpClientFactory.CreateClient(HttpClientName);
            response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cts.Token);
            bytes = await response.Content.ReadAsByteArrayAsync(cts.Token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            _metrics.Authenticated("error");
            var reason = e is OperationCanceledException ? $"timed out after {timeout.TotalSeconds:0.###} s" : e.Message;
            LogKeystoneNoAnswer(_logger, _tokensUri, Identity, reason);
            throw new NeutronConnectionException(Operation, $"Keystone at {_tokensUri} did not answer the token request for {Identity}: {reason}", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var requestId = response.Headers.TryGetValues("x-openstack-request-id", out var ids) ? ids.FirstOrDefault() : null;
            if (status is < 200 or > 299)
            {
                var parsed = NeutronErrorParser.Parse(status, bytes);
                _metrics.Authenticated(status is 401 or 403 ? "rejected" : "error");
                LogKeystoneRejected(_logger, _tokensUri, Identity, status, requestId, parsed.Message);
                if (status >= 500)
                {
                    throw new NeutronServerException(Operation, status, parsed.Type, $"Keystone at {_tokensUri} failed to issue a token for {Identity}: {parsed.Message}", requestId);
                }

                var what = status == 401 ? "rejected the credentials of" : $"refused ({status}) a token for";
                throw new NeutronAuthenticationException(Operation, status, $"Keystone at {_tokensUri} {what} {Identity}: {parsed.Message}", requestId);
            }

            var tokenId = response.Headers.TryGetValues("X-Subject-Token", out var t) ? t.FirstOrDefault() : null;
            KeystoneToken? token;
            try
            {
                token = JsonSerializer.Deserialize(bytes, KeystoneJsonContext.Default.KeystoneTokenResponse)?.Token;
            }
            catch (JsonException e)
            {
                _metrics.Authenticated("error");
                throw new NeutronAuthenticationException(Operation, 0, $"Keystone at {_tokensUri} answered an unreadable token body for {Identity}: {e.Message}", requestId, e);
            }

            if (string.IsNullOrEmpty(tokenId) || token?.ExpiresAt is not { } expiresAt)
            {
                _metrics.Authenticated("error");
                throw new NeutronAuthenticationException(Operation, 0,
                    $"Keystone at {_tokensUri} answered without {(string.IsNullOrEmpty(tokenId) ? "an X-Subject-Token header" : "token.expires_at")} for {Identity}", requestId);
            }

            var lifetime = expiresAt - (token.IssuedAt ?? requestedAt);
            if (lifetime <= TimeSpan.Zero)
            {
                _metrics.Authenticated("error");
                throw new NeutronAuthenticationException(Operation, 0, $"Keystone at {_tokensUri} issued an already expired token (expires_at {expiresAt:O}) for {Identity}", requestId);
            }

            var endpointUrl = !string.IsNullOrWhiteSpace(_options.EndpointOverride)
                ? _options.EndpointOverride
                : KeystoneCatalog.SelectEndpoint(token.Catalog, _options.ServiceType, _options.ValidInterfaces, _options.RegionName);
            var endpoint = NeutronEndpoint.Normalize(endpointUrl, string.IsNullOrWhiteSpace(_options.EndpointOverride) ? "catalog endpoint" : "[neutron] endpoint_override");

            // Never wait until the last second: a margin as long as the token's lifetime would
            // re-authenticate on every call, so use at most half of the lifetime.
            var margin = TimeSpan.FromSeconds(Math.Min(_options.TokenRefreshMargin, lifetime.TotalSeconds / 2));
            var refreshAt = requestedAt + lifetime - margin;
            _metrics.Authenticated("success");
            LogAuthenticated(_logger, _tokensUri, Identity, token.Project?.Id, endpoint, expiresAt, refreshAt);
            return new Token(new NeutronCredentials(endpoint, [new("X-Auth-Token", tokenId)]), refreshAt);
        }
    }

    private KeystoneAuthRequest BuildRequest()
    {
        var o = _options;
        if (_kind == NeutronAuthKind.ApplicationCredential)
        {
            return new KeystoneAuthRequest
            {
                Auth = new KeystoneAuth
                {
                    Identity = new KeystoneIdentity
                    {
                        Methods = ["application_credential"],
                        ApplicationCredential = new KeystoneApplicationCredential
                        {
                            Id = Blank(o.ApplicationCredentialId),
                            Name = Blank(o.ApplicationCredentialId) is null ? Blank(o.ApplicationCredentialName) : null,
                            Secret = o.ApplicationCredentialSecret ?? "",
                            User = Blank(o.ApplicationCredentialId) is null ? User(o, withPassword: false) : null,
                        },
                    },
                },
            };
        }

        return new KeystoneAuthRequest
        {
            Auth = new KeystoneAuth
            {
                Identity = new KeystoneIdentity
                {
                    Methods = ["password"],
                    Password = new KeystonePasswordMethod { User = User(o, withPassword: true) },
                },
                Scope = new KeystoneScope
                {
                    Project = Blank(o.ProjectId) is { } projectId
                        ? new KeystoneProjectRef { Id = projectId }
                        : new KeystoneProjectRef { Name = Blank(o.ProjectName), Domain = Domain(o.ProjectDomainId, o.ProjectDomainName) },
                },
            },
        };
    }

    private static KeystoneUser User(NeutronOptions o, bool withPassword) => Blank(o.UserId) is { } userId
        ? new KeystoneUser { Id = userId, Password = withPassword ? o.Password : null }
        : new KeystoneUser { Name = Blank(o.Username), Domain = Domain(o.UserDomainId, o.UserDomainName), Password = withPassword ? o.Password : null };

    private static KeystoneNamedRef? Domain(string? id, string? name) =>
        Blank(id) is { } i ? new KeystoneNamedRef { Id = i } : Blank(name) is { } n ? new KeystoneNamedRef { Name = n } : null;

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static Uri TokensUri(string? authUrl)
    {
        if (string.IsNullOrWhiteSpace(authUrl) || !Uri.TryCreate(authUrl.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"[neutron] auth_url must be an absolute http(s) URL, got '{authUrl}'", nameof(authUrl));
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/v3", StringComparison.Ordinal))
        {
            path += "/v3";
        }

        return new UriBuilder(uri.Scheme, uri.Host, uri.Port, path + "/auth/tokens").Uri;
    }

    private static string DescribeIdentity(NeutronOptions o, NeutronAuthKind kind)
    {
        static string Dom(string? id, string? name) =>
            Blank(id) is { } i ? $" (domain id '{i}')" : Blank(name) is { } n ? $" (domain '{n}')" : "";
        var user = Blank(o.UserId) is { } uid ? $"user id '{uid}'" : $"user '{o.Username}'{Dom(o.UserDomainId, o.UserDomainName)}";
        if (kind == NeutronAuthKind.ApplicationCredential)
        {
            return Blank(o.ApplicationCredentialId) is { } acId
                ? $"application credential id '{acId}'"
                : $"application credential '{o.ApplicationCredentialName}' of {user}";
        }

        var project = Blank(o.ProjectId) is { } pid ? $"project id '{pid}'" : $"project '{o.ProjectName}'{Dom(o.ProjectDomainId, o.ProjectDomainName)}";
        return $"{user} in {project}";
    }

    private sealed record Token(NeutronCredentials Credentials, DateTimeOffset RefreshAt);
}
