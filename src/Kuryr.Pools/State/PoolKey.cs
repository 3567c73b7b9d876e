using System.Globalization;

namespace Kuryr.Pools.State;

/// <summary>
/// Identifies a pool, as Kuryr does: (host, project, network). Host is the node name for
/// bare-metal pools and the trunk parent port's IP for nested pools. Security groups are not part
/// of the key; they are the buckets inside a pool.
/// </summary>
public sealed record PoolKey
{
    public PoolKey(string host, string projectId, string networkId)
    {
        Host = Check(host, nameof(host));
        ProjectId = Check(projectId, nameof(projectId));
        NetworkId = Check(networkId, nameof(networkId));
    }

    public string Host { get; }

    public string ProjectId { get; }

    public string NetworkId { get; }

    /// <summary>The id used in Redis keys and by <c>kuryr-poolctl</c>: <c>host/project/network</c>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{Host}/{ProjectId}/{NetworkId}");

    /// <summary>Parses <see cref="Id"/>; throws <see cref="FormatException"/> naming the problem.</summary>
    public static PoolKey Parse(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var parts = id.Split('/');
        if (parts.Length != 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"pool id \"{id}\": expected HOST/PROJECT_ID/NETWORK_ID");
        }

        return new PoolKey(parts[0], parts[1], parts[2]);
    }

    public override string ToString() => Id;

    private static string Check(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"pool key {name} must not be empty", name);
        }

        if (value.IndexOfAny(['/', '{', '}']) >= 0)
        {
            throw new ArgumentException($"pool key {name} \"{value}\" must not contain '/', '{{' or '}}'", name);
        }

        return value;
    }
}

/// <summary>
/// A set of security group ids in canonical form (distinct, sorted ordinally); its <see cref="Key"/>
/// names the bucket inside a pool. The empty set means "the project's default".
/// </summary>
public sealed record SecurityGroupSet
{
    public static readonly SecurityGroupSet Default = new([]);

    public SecurityGroupSet(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        Ids = [.. ids.Select(i => i.Trim()).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (Ids.Any(i => i.Contains(',', StringComparison.Ordinal)))
        {
            throw new ArgumentException("a security group id must not contain ','", nameof(ids));
        }

        Key = string.Join(',', Ids);
    }

    public IReadOnlyList<string> Ids { get; }

    /// <summary>Sorted ids joined by ','; empty for <see cref="Default"/>.</summary>
    public string Key { get; }

    public static SecurityGroupSet FromKey(string key) => new((key ?? "").Split(','));

    public bool Equals(SecurityGroupSet? other) => other is not null && Key == other.Key;

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public override string ToString() => Key.Length == 0 ? "(default)" : Key;
}
