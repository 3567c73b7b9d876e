using System.Text.Json.Serialization;

namespace Kuryr.Neutron.Auth;

// Keystone v3 POST /v3/auth/tokens request and response (only the fields we use).

internal sealed class KeystoneAuthRequest
{
    [JsonPropertyName("auth")] public required KeystoneAuth Auth { get; init; }
}

internal sealed class KeystoneAuth
{
    [JsonPropertyName("identity")] public required KeystoneIdentity Identity { get; init; }

    [JsonPropertyName("scope")] public KeystoneScope? Scope { get; init; }
}

internal sealed class KeystoneIdentity
{
    [JsonPropertyName("methods")] public required IReadOnlyList<string> Methods { get; init; }

    [JsonPropertyName("password")] public KeystonePasswordMethod? Password { get; init; }

    [JsonPropertyName("application_credential")] public KeystoneApplicationCredential? ApplicationCredential { get; init; }
}

internal sealed class KeystonePasswordMethod
{
    [JsonPropertyName("user")] public required KeystoneUser User { get; init; }
}

internal sealed class KeystoneUser
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("domain")] public KeystoneNamedRef? Domain { get; init; }

    [JsonPropertyName("password")] public string? Password { get; init; }
}

internal sealed class KeystoneApplicationCredential
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("secret")] public required string Secret { get; init; }

    [JsonPropertyName("user")] public KeystoneUser? User { get; init; }
}

internal sealed class KeystoneScope
{
    [JsonPropertyName("project")] public KeystoneProjectRef? Project { get; init; }
}

internal sealed class KeystoneProjectRef
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("domain")] public KeystoneNamedRef? Domain { get; init; }
}

internal sealed class KeystoneNamedRef
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }
}

internal sealed class KeystoneTokenResponse
{
    [JsonPropertyName("token")] public KeystoneToken? Token { get; init; }
}

internal sealed class KeystoneToken
{
    [JsonPropertyName("expires_at")] public DateTimeOffset? ExpiresAt { get; init; }

    [JsonPropertyName("issued_at")] public DateTimeOffset? IssuedAt { get; init; }

    [JsonPropertyName("catalog")] public IReadOnlyList<KeystoneCatalogService>? Catalog { get; init; }

    [JsonPropertyName("project")] public KeystoneNamedRef? Project { get; init; }

    [JsonPropertyName("user")] public KeystoneNamedRef? User { get; init; }
}

internal sealed class KeystoneCatalogService
{
    [JsonPropertyName("type")] public string? Type { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("endpoints")] public IReadOnlyList<KeystoneCatalogEndpoint>? Endpoints { get; init; }
}

internal sealed class KeystoneCatalogEndpoint
{
    [JsonPropertyName("interface")] public string? Interface { get; init; }

    [JsonPropertyName("region")] public string? Region { get; init; }

    [JsonPropertyName("region_id")] public string? RegionId { get; init; }

    [JsonPropertyName("url")] public string? Url { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KeystoneAuthRequest))]
[JsonSerializable(typeof(KeystoneTokenResponse))]
internal sealed partial class KeystoneJsonContext : JsonSerializerContext;
