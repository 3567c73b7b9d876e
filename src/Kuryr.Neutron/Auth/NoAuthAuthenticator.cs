using Kuryr.Config.Options;
using Kuryr.Neutron.Transport;

namespace Kuryr.Neutron.Auth;

/// <summary>
/// <c>auth_type = noauth</c> (or <c>none</c>): no Keystone. Calls go to <c>endpoint_override</c> with the
/// trusted headers <c>X-User-Id</c> (<c>user_id</c>, default <c>kuryr</c>), <c>X-Project-Id</c>
/// (<c>project_id</c>) and <c>X-Roles</c> (<c>roles</c>), which a Neutron without keystonemiddleware trusts.
/// </summary>
internal sealed class NoAuthAuthenticator : INeutronAuthenticator
{
    private readonly NeutronCredentials _credentials;

    public NoAuthAuthenticator(NeutronOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.EndpointOverride))
        {
            throw new ArgumentException($"[neutron] endpoint_override is required when auth_type is '{options.AuthType}'", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.ProjectId))
        {
            throw new ArgumentException($"[neutron] project_id is required when auth_type is '{options.AuthType}' (sent as X-Project-Id)", nameof(options));
        }

        var endpoint = NeutronEndpoint.Normalize(options.EndpointOverride, "[neutron] endpoint_override");
        List<KeyValuePair<string, string>> headers =
        [
            new("X-User-Id", string.IsNullOrWhiteSpace(options.UserId) ? "kuryr" : options.UserId),
            new("X-Project-Id", options.ProjectId),
            new("X-Roles", string.Join(',', options.Roles.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()))),
        ];
        _credentials = new NeutronCredentials(endpoint, headers);
    }

    public bool CanReauthenticate => false;

    public ValueTask<NeutronCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_credentials);

    public ValueTask<NeutronCredentials> ReauthenticateAsync(NeutronCredentials rejected, CancellationToken cancellationToken) => ValueTask.FromResult(_credentials);
}
