using Kuryr.Config.Options;

namespace Kuryr.Config.Binding;

/// <summary>
/// Help and constraints of <c>[neutron]</c>. <see cref="NeutronOptions"/> is shared with the
/// Neutron client (which validates the auth combinations itself), so its metadata lives here.
/// </summary>
internal static class NeutronOptionsMetadata
{
    public static readonly IReadOnlyDictionary<string, OptionMetadata> Options = new Dictionary<string, OptionMetadata>(StringComparer.Ordinal)
    {
        ["auth_type"] = new("Authentication plugin: password (v3password), v3applicationcredential, or none/noauth (no Keystone; tests)."),
        ["auth_url"] = new("Keystone URL.", Format: new KuryrFormatAttribute(KuryrValueFormat.HttpUrl)),
        ["username"] = new("User name."),
        ["user_id"] = new("User ID."),
        ["password"] = new("User password.", Secret: true),
        ["user_domain_name"] = new("Domain name of the user."),
        ["user_domain_id"] = new("Domain ID of the user."),
        ["project_name"] = new("Project to scope the token to."),
        ["project_id"] = new("Project ID to scope the token to (with noauth: sent as X-Project-Id)."),
        ["project_domain_name"] = new("Domain name of the project."),
        ["project_domain_id"] = new("Domain ID of the project."),
        ["application_credential_id"] = new("Application credential ID."),
        ["application_credential_name"] = new("Application credential name."),
        ["application_credential_secret"] = new("Application credential secret.", Secret: true),
        ["region_name"] = new("Region of the Neutron endpoint in the catalog."),
        ["valid_interfaces"] = new("Catalog interfaces to try, in order.", Choices: ["public", "internal", "admin"]),
        ["service_type"] = new("Catalog service type of Neutron."),
        ["endpoint_override"] = new("Neutron URL to use instead of the catalog's.", Format: new KuryrFormatAttribute(KuryrValueFormat.HttpUrl)),
        ["roles"] = new("Roles sent as X-Roles with noauth.", KuryrNodeOption: true),
        ["insecure"] = new("Do not verify the TLS certificates of Keystone and Neutron."),
        ["cafile"] = new("CA bundle to verify Keystone and Neutron with.", Format: new KuryrFormatAttribute(KuryrValueFormat.AbsolutePath)),
        ["timeout"] = new("Timeout (in seconds) of one request.", Range: new KuryrRangeAttribute(0) { MinimumExclusive = true }),
        ["bulk_create_concurrency"] = new("Concurrent bulk port creations across all pools (Kuryr hard-coded 20).", Range: new KuryrRangeAttribute(1), KuryrNodeOption: true),
        ["requests_per_second"] = new("Token-bucket rate limit on Neutron requests per second; 0 disables it.", Range: new KuryrRangeAttribute(0), KuryrNodeOption: true),
        ["requests_burst"] = new("Token-bucket burst size.", Range: new KuryrRangeAttribute(1), KuryrNodeOption: true),
        ["max_retries"] = new("Retries of an idempotent call after a 5xx or a connection failure.", Range: new KuryrRangeAttribute(0), KuryrNodeOption: true),
        ["retry_backoff"] = new("First retry delay (in seconds); later ones grow exponentially with jitter.", Range: new KuryrRangeAttribute(0), KuryrNodeOption: true),
        ["retry_backoff_max"] = new("Longest delay (in seconds) between retries.", Range: new KuryrRangeAttribute(0), KuryrNodeOption: true),
        ["token_refresh_margin"] = new("Re-authenticate this many seconds before the token expires.", Range: new KuryrRangeAttribute(0), KuryrNodeOption: true),
    };
}
