namespace Kuryr.Neutron.Auth;

/// <summary>
/// Where to send Neutron calls and how to prove who we are. One instance is valid until
/// Neutron rejects it (401) or, for Keystone tokens, until shortly before the token expires.
/// </summary>
internal sealed class NeutronCredentials
{
    public NeutronCredentials(Uri endpoint, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        Endpoint = endpoint;
        Headers = headers;
    }

    /// <summary>Neutron's API root, always ending in <c>/v2.0/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Headers added to every request (<c>X-Auth-Token</c>, or the trusted
    /// <c>X-User-Id</c>/<c>X-Project-Id</c>/<c>X-Roles</c> in <c>noauth</c> mode).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"NeutronCredentials({Endpoint})";
}

/// <summary>Supplies <see cref="NeutronCredentials"/>; implementations are thread-safe singletons.</summary>
internal interface INeutronAuthenticator
{
    /// <summary>False when a 401 cannot be cured by asking again (trusted headers).</summary>
    bool CanReauthenticate { get; }

    /// <summary>The current credentials; authenticates (once, for all concurrent callers) when there are none or they are about to expire.</summary>
    ValueTask<NeutronCredentials> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Neutron answered 401 to <paramref name="rejected"/>: returns fresh credentials. When another
    /// caller already replaced them, returns those without a new Keystone request.
    /// </summary>
    ValueTask<NeutronCredentials> ReauthenticateAsync(NeutronCredentials rejected, CancellationToken cancellationToken);
}
