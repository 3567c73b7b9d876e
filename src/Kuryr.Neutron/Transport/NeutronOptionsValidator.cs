using Kuryr.Config.Options;
using Microsoft.Extensions.Options;

namespace Kuryr.Neutron.Transport;

/// <summary>Checks <c>[neutron]</c>; every failure names the option and says what is expected.</summary>
internal sealed class NeutronOptionsValidator : IValidateOptions<NeutronOptions>
{
    public ValidateOptionsResult Validate(string? name, NeutronOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var kind = NeutronAuthKinds.Parse(options.AuthType);
        if (kind is null)
        {
            failures.Add($"[neutron] auth_type '{options.AuthType}' is not supported (use password, v3password, v3applicationcredential, noauth or none)");
        }

        if (!(options.Timeout > 0))
        {
            failures.Add($"[neutron] timeout must be > 0 seconds, got {options.Timeout}");
        }

        if (options.BulkCreateConcurrency < 1)
        {
            failures.Add($"[neutron] bulk_create_concurrency must be >= 1, got {options.BulkCreateConcurrency}");
        }

        if (!(options.RequestsPerSecond >= 0) || double.IsInfinity(options.RequestsPerSecond))
        {
            failures.Add($"[neutron] requests_per_second must be >= 0 (0 disables the limit), got {options.RequestsPerSecond}");
        }

        if (options.RequestsPerSecond > 0 && options.RequestsBurst < 1)
        {
            failures.Add($"[neutron] requests_burst must be >= 1 when requests_per_second is set, got {options.RequestsBurst}");
        }

        if (options.MaxRetries < 0)
        {
            failures.Add($"[neutron] max_retries must be >= 0, got {options.MaxRetries}");
        }

        if (!(options.RetryBackoff >= 0) || !(options.RetryBackoffMax >= 0))
        {
            failures.Add($"[neutron] retry_backoff and retry_backoff_max must be >= 0, got {options.RetryBackoff} and {options.RetryBackoffMax}");
        }

        if (!(options.TokenRefreshMargin >= 0))
        {
            failures.Add($"[neutron] token_refresh_margin must be >= 0 seconds, got {options.TokenRefreshMargin}");
        }

        if (!string.IsNullOrWhiteSpace(options.EndpointOverride) && !IsHttpUrl(options.EndpointOverride))
        {
            failures.Add($"[neutron] endpoint_override must be an absolute http(s) URL, got '{options.EndpointOverride}'");
        }

        switch (kind)
        {
            case NeutronAuthKind.NoAuth:
                if (string.IsNullOrWhiteSpace(options.EndpointOverride))
                {
                    failures.Add($"[neutron] endpoint_override is required when auth_type is '{options.AuthType}'");
                }

                if (string.IsNullOrWhiteSpace(options.ProjectId))
                {
                    failures.Add($"[neutron] project_id is required when auth_type is '{options.AuthType}' (sent as X-Project-Id)");
                }

                break;
            case NeutronAuthKind.Password:
                RequireAuthUrl(options, failures);
                if (string.IsNullOrWhiteSpace(options.UserId))
                {
                    if (string.IsNullOrWhiteSpace(options.Username))
                    {
                        failures.Add("[neutron] username or user_id is required when auth_type is password");
                    }
                    else if (string.IsNullOrWhiteSpace(options.UserDomainId) && string.IsNullOrWhiteSpace(options.UserDomainName))
                    {
                        failures.Add("[neutron] user_domain_name or user_domain_id is required with username");
                    }
                }

                if (string.IsNullOrEmpty(options.Password))
                {
                    failures.Add("[neutron] password is required when auth_type is password");
                }

                if (string.IsNullOrWhiteSpace(options.ProjectId))
                {
                    if (string.IsNullOrWhiteSpace(options.ProjectName))
                    {
                        failures.Add("[neutron] project_name or project_id is required when auth_type is password (a project-scoped token carries the catalog)");
                    }
                    else if (string.IsNullOrWhiteSpace(options.ProjectDomainId) && string.IsNullOrWhiteSpace(options.ProjectDomainName))
                    {
                        failures.Add("[neutron] project_domain_name or project_domain_id is required with project_name");
                    }
                }

                break;
            case NeutronAuthKind.ApplicationCredential:
                RequireAuthUrl(options, failures);
                if (string.IsNullOrEmpty(options.ApplicationCredentialSecret))
                {
                    failures.Add("[neutron] application_credential_secret is required when auth_type is v3applicationcredential");
                }

                if (string.IsNullOrWhiteSpace(options.ApplicationCredentialId))
                {
                    if (string.IsNullOrWhiteSpace(options.ApplicationCredentialName))
                    {
                        failures.Add("[neutron] application_credential_id or application_credential_name is required when auth_type is v3applicationcredential");
                    }
                    else if (string.IsNullOrWhiteSpace(options.UserId) && string.IsNullOrWhiteSpace(options.Username))
                    {
                        failures.Add("[neutron] user_id or username is required with application_credential_name");
                    }
                    else if (string.IsNullOrWhiteSpace(options.UserId) && string.IsNullOrWhiteSpace(options.UserDomainId) && string.IsNullOrWhiteSpace(options.UserDomainName))
                    {
                        failures.Add("[neutron] user_domain_name or user_domain_id is required with username");
                    }
                }

                break;
            default:
                break;
        }

        if (kind is NeutronAuthKind.Password or NeutronAuthKind.ApplicationCredential && string.IsNullOrWhiteSpace(options.EndpointOverride))
        {
            if (options.ValidInterfaces.Count == 0 || options.ValidInterfaces.All(string.IsNullOrWhiteSpace))
            {
                failures.Add("[neutron] valid_interfaces must name at least one catalog interface (internal, public, admin)");
            }

            if (string.IsNullOrWhiteSpace(options.ServiceType))
            {
                failures.Add("[neutron] service_type must not be empty");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequireAuthUrl(NeutronOptions options, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.AuthUrl))
        {
            failures.Add($"[neutron] auth_url is required when auth_type is {options.AuthType}");
        }
        else if (!IsHttpUrl(options.AuthUrl))
        {
            failures.Add($"[neutron] auth_url must be an absolute http(s) URL, got '{options.AuthUrl}'");
        }
    }

    private static bool IsHttpUrl(string s) =>
        Uri.TryCreate(s.Trim(), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}

/// <summary>The auth plugins Kuryr.Node understands (keystoneauth names).</summary>
internal enum NeutronAuthKind
{
    NoAuth,
    Password,
    ApplicationCredential,
}

internal static class NeutronAuthKinds
{
    public static NeutronAuthKind? Parse(string? authType) => authType?.Trim().ToLowerInvariant() switch
    {
        "noauth" or "none" => NeutronAuthKind.NoAuth,
        "password" or "v3password" => NeutronAuthKind.Password,
        "v3applicationcredential" or "applicationcredential" or "application_credential" => NeutronAuthKind.ApplicationCredential,
        _ => null,
    };
}
