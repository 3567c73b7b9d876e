using Kuryr.Config.Options;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Ownership;

/// <summary>The ownership tags from <see cref="NeutronDefaultsOptions"/>.</summary>
internal sealed class PortOwnership : IPortOwnership
{
    /// <summary>Prefix of the cluster tag.</summary>
    public const string ClusterTagPrefix = "kuryr.node.cluster=";

    /// <summary>Neutron's longest tag.</summary>
    public const int MaxTagLength = 60;

    public PortOwnership(IOptions<NeutronDefaultsOptions> options)
        : this(options?.Value.ClusterId ?? throw new ArgumentNullException(nameof(options)), options.Value.ResourceTags)
    {
    }

    public PortOwnership(string clusterId, IEnumerable<string> resourceTags)
    {
        ArgumentNullException.ThrowIfNull(resourceTags);
        ClusterTag = BuildClusterTag(clusterId);
        var tags = new List<string>();
        foreach (var tag in resourceTags)
        {
            CheckTag(tag, "[neutron_defaults] resource_tags");
            if (!tags.Contains(tag, StringComparer.Ordinal))
            {
                tags.Add(tag);
            }
        }

        if (!tags.Contains(ClusterTag, StringComparer.Ordinal))
        {
            tags.Add(ClusterTag);
        }

        Tags = tags;
    }

    public string ClusterTag { get; }

    public IReadOnlyList<string> Tags { get; }

    public bool IsOurs(IReadOnlyCollection<string> portTags)
    {
        ArgumentNullException.ThrowIfNull(portTags);
        foreach (var tag in Tags)
        {
            if (!portTags.Contains(tag, StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The cluster tag for <paramref name="clusterId"/>; throws naming
    /// <c>[neutron_defaults] cluster_id</c> when it cannot make a valid Neutron tag.</summary>
    public static string BuildClusterTag(string clusterId)
    {
        if (string.IsNullOrWhiteSpace(clusterId))
        {
            throw new ArgumentException("[neutron_defaults] cluster_id must not be empty", nameof(clusterId));
        }

        var tag = ClusterTagPrefix + clusterId;
        CheckTag(tag, "[neutron_defaults] cluster_id");
        return tag;
    }

    private static void CheckTag(string tag, string option)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > MaxTagLength)
        {
            throw new ArgumentException(
                $"{option}: tag \"{tag}\" must be 1-{MaxTagLength} characters (the cluster tag adds {ClusterTagPrefix.Length} to cluster_id)");
        }

        if (tag.Contains(',', StringComparison.Ordinal) || tag.Contains('/', StringComparison.Ordinal) || tag.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"{option}: tag \"{tag}\" must not contain ',', '/' or whitespace");
        }
    }
}
