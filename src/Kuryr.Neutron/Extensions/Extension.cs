using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kuryr.Neutron.Extensions;

/// <summary>One API extension Neutron has loaded (<c>GET /v2.0/extensions</c>).</summary>
public sealed record Extension
{
    /// <summary>The name code checks for, e.g. <c>trunk</c>, <c>tag-ports-during-bulk-creation</c>.</summary>
    [JsonPropertyName("alias")] public string Alias { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("updated")] public string? Updated { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Aliases of the extensions this client changes behaviour on.</summary>
public static class KnownExtensions
{
    /// <summary>Tags accepted in <c>POST /ports</c> (else the client tags after creating).</summary>
    public const string TagPortsDuringBulkCreation = "tag-ports-during-bulk-creation";

    public const string Trunk = "trunk";

    public const string TrunkDetails = "trunk-details";

    public const string RevisionIfMatch = "revision-if-match";

    public const string QuotaDetails = "quota_details";
}
