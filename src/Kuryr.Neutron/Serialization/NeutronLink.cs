using System.Text.Json.Serialization;

namespace Kuryr.Neutron.Serialization;

/// <summary>One entry of a <c>*_links</c> array (pagination).</summary>
public sealed record NeutronLink
{
    [JsonPropertyName("rel")] public string? Rel { get; init; }

    [JsonPropertyName("href")] public string? Href { get; init; }
}
