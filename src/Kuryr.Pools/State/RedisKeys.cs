using StackExchange.Redis;

namespace Kuryr.Pools.State;

/// <summary>
/// Key names (docs/redis-layout.md). Every key of one pool carries the hash tag <c>{pool id}</c>, so
/// a pool lives on one Redis Cluster slot and its Lua steps are atomic there.
/// </summary>
public sealed class RedisKeys
{
    public RedisKeys(string prefix = "kuryr", int database = 0)
    {
        if (string.IsNullOrWhiteSpace(prefix) || prefix.IndexOfAny(['{', '}']) >= 0)
        {
            throw new ArgumentException($"Redis key prefix \"{prefix}\" must be non-empty and free of '{{' and '}}'", nameof(prefix));
        }

        Prefix = prefix;
        Database = database;
    }

    public string Prefix { get; }

    public int Database { get; }

    /// <summary>SET of pool ids.</summary>
    public RedisKey Registry => $"{Prefix}:pools";

    public PoolKeys For(PoolKey pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new PoolKeys($"{Prefix}:pool:{{{pool.Id}}}");
    }

    /// <summary>The keys of one pool.</summary>
    public sealed class PoolKeys
    {
        internal PoolKeys(string stem)
        {
            Stem = stem;
            ScriptKeys = [State, Vif, SecurityGroups, Owner, Owned, Buckets, Recyclable, Counts, Sequence];
        }

        public string Stem { get; }

        public RedisKey State => Stem + ":state";

        public RedisKey Vif => Stem + ":vif";

        public RedisKey SecurityGroups => Stem + ":sg";

        public RedisKey Owner => Stem + ":owner";

        public RedisKey Owned => Stem + ":owned";

        public RedisKey Buckets => Stem + ":buckets";

        public RedisKey Recyclable => Stem + ":recyclable";

        public RedisKey Counts => Stem + ":counts";

        public RedisKey Sequence => Stem + ":seq";

        /// <summary>HASH of facts about the pool (<c>driver</c>); see <see cref="IPoolMetadata"/>.</summary>
        public RedisKey Meta => Stem + ":meta";

        /// <summary>The population lock (owner token, TTL).</summary>
        public RedisKey PopulateLock => Stem + ":lock";

        /// <summary>LIST of available ports of one security-group bucket, least recently used first.</summary>
        public RedisKey Bucket(string securityGroupKey) => Stem + ":buckets:" + securityGroupKey;

        internal RedisKey[] ScriptKeys { get; }
    }
}
