using System.Text.Json.Serialization;

namespace Kuryr.Neutron.Quotas;

/// <summary>Usage of one quota (<c>GET /v2.0/quotas/{project}/details.json</c>).</summary>
public sealed record QuotaUsage
{
    [JsonPropertyName("used")] public long Used { get; init; }

    /// <summary>-1 means unlimited.</summary>
    [JsonPropertyName("limit")] public long Limit { get; init; }

    [JsonPropertyName("reserved")] public long Reserved { get; init; }

    /// <summary>How many more can be created now; <see langword="null"/> when unlimited.</summary>
    [JsonIgnore] public long? Available => Limit < 0 ? null : Math.Max(0, Limit - Used - Reserved);
}

/// <summary>Quota usage of one project, by resource name (<c>port</c>, <c>network</c>, <c>trunk</c>, ...).</summary>
public sealed record QuotaDetails(IReadOnlyDictionary<string, QuotaUsage> Resources)
{
    /// <summary>Usage of <c>port</c>, when Neutron reported it.</summary>
    public QuotaUsage? Port => Resources.GetValueOrDefault("port");

    public QuotaUsage? Network => Resources.GetValueOrDefault("network");

    public QuotaUsage? Subnet => Resources.GetValueOrDefault("subnet");

    public QuotaUsage? SecurityGroup => Resources.GetValueOrDefault("security_group");

    public QuotaUsage? Trunk => Resources.GetValueOrDefault("trunk");
}
