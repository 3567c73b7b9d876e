using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary>
/// <c>[neutron]</c>: keystoneauth's option names for reaching Neutron, plus Kuryr.Node's own
/// protections for Neutron (bulk-create cap, rate limit, retries), which Kuryr hard-coded.
/// </summary>
[KuryrSection("neutron")]
public sealed class NeutronOptions
{
    /// <summary><c>password</c>/<c>v3password</c>, <c>v3applicationcredential</c>, or
    /// <c>none</c>/<c>noauth</c> (no Keystone: <see cref="EndpointOverride"/> plus trusted project
    /// headers, for tests).</summary>
    [ConfigurationKeyName("auth_type")] public string AuthType { get; set; } = "password";
    [ConfigurationKeyName("auth_url")] public string? AuthUrl { get; set; }
    [ConfigurationKeyName("username")] public string? Username { get; set; }
    [ConfigurationKeyName("user_id")] public string? UserId { get; set; }
    [ConfigurationKeyName("password")] public string? Password { get; set; }
    [ConfigurationKeyName("user_domain_name")] public string? UserDomainName { get; set; }
    [ConfigurationKeyName("user_domain_id")] public string? UserDomainId { get; set; }
    [ConfigurationKeyName("project_name")] public string? ProjectName { get; set; }
    [ConfigurationKeyName("project_id")] public string? ProjectId { get; set; }
    [ConfigurationKeyName("project_domain_name")] public string? ProjectDomainName { get; set; }
    [ConfigurationKeyName("project_domain_id")] public string? ProjectDomainId { get; set; }
    [ConfigurationKeyName("application_credential_id")] public string? ApplicationCredentialId { get; set; }
    [ConfigurationKeyName("application_credential_name")] public string? ApplicationCredentialName { get; set; }
    [ConfigurationKeyName("application_credential_secret")] public string? ApplicationCredentialSecret { get; set; }
    [ConfigurationKeyName("region_name")] public string? RegionName { get; set; }
    /// <summary>Catalog interfaces to try, in order (keystoneauth default: internal, public).</summary>
    [ConfigurationKeyName("valid_interfaces")] public IList<string> ValidInterfaces { get; set; } = ["internal", "public"];
    [ConfigurationKeyName("service_type")] public string ServiceType { get; set; } = "network";
    [ConfigurationKeyName("endpoint_override")] public string? EndpointOverride { get; set; }
    /// <summary>Roles sent as <c>X-Roles</c> in <c>noauth</c> mode.</summary>
    [ConfigurationKeyName("roles")] public IList<string> Roles { get; set; } = ["admin"];
    [ConfigurationKeyName("insecure")] public bool Insecure { get; set; }
    [ConfigurationKeyName("cafile")] public string? CaFile { get; set; }
    /// <summary>Per-request timeout, seconds.</summary>
    [ConfigurationKeyName("timeout")] public double Timeout { get; set; } = 60;

    // Kuryr.Node extensions (Kuryr hard-coded these).
    /// <summary>Concurrent bulk <c>POST /ports</c> requests across all pools (Kuryr: 20).</summary>
    [ConfigurationKeyName("bulk_create_concurrency")] public int BulkCreateConcurrency { get; set; } = 20;
    /// <summary>Token-bucket rate limit on Neutron requests per second; 0 disables it.</summary>
    [ConfigurationKeyName("requests_per_second")] public double RequestsPerSecond { get; set; } = 50;
    /// <summary>Token-bucket burst size.</summary>
    [ConfigurationKeyName("requests_burst")] public int RequestsBurst { get; set; } = 100;
    /// <summary>Retries of an idempotent call after a 5xx or a connection failure.</summary>
    [ConfigurationKeyName("max_retries")] public int MaxRetries { get; set; } = 4;
    /// <summary>First retry delay, seconds; later ones grow exponentially (with jitter) up to <see cref="RetryBackoffMax"/>.</summary>
    [ConfigurationKeyName("retry_backoff")] public double RetryBackoff { get; set; } = 1;
    /// <summary>Longest delay between retries, seconds.</summary>
    [ConfigurationKeyName("retry_backoff_max")] public double RetryBackoffMax { get; set; } = 30;
    /// <summary>Re-authenticate this many seconds before the token expires.</summary>
    [ConfigurationKeyName("token_refresh_margin")] public double TokenRefreshMargin { get; set; } = 120;
}
