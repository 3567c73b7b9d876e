using System.Text.Json.Nodes;
using Kuryr.Assignments;
using Kuryr.PoolCtl.Output;
using Kuryr.Pools.State;
using Kuryr.Vifs;
using StackExchange.Redis;

namespace Kuryr.PoolCtl.Inspection;

/// <summary>Reads the pools and the node assignments straight from Redis (never the controller).</summary>
internal sealed class PoolInspector(IPoolStateStore store, IPoolMetadata metadata, INodeVifReader vifs, string redisEndpoints)
{
    /// <summary>Every registered pool, sorted by id.</summary>
    public async Task<PoolListView> ListAsync()
    {
        var list = new List<PoolView>();
        foreach (var key in (await Redis(store.ListPoolsAsync).ConfigureAwait(false)).OrderBy(k => k.Id, StringComparer.Ordinal))
        {
            var snapshot = await Redis(() => store.ReadAsync(key)).ConfigureAwait(false);
            var (driver, last) = await MetaAsync(key).ConfigureAwait(false);
            list.Add(new PoolView(key.Id, key.Host, key.ProjectId, key.NetworkId, driver, CountsOf(snapshot), BucketsOf(snapshot), last));
        }

        return new PoolListView(list);
    }

    /// <summary>One pool with its port ids per state; unknown pools fail naming how to list them.</summary>
    public async Task<PoolDetailView> ShowAsync(PoolKey key)
    {
        var snapshot = await Redis(() => store.ReadAsync(key)).ConfigureAwait(false);
        if (snapshot.States.Count == 0 && !(await Redis(store.ListPoolsAsync).ConfigureAwait(false)).Contains(key))
        {
            throw UnknownPool(key);
        }

        var (driver, last) = await MetaAsync(key).ConfigureAwait(false);
        List<string> InState(PortState state) =>
            [.. snapshot.States.Where(s => s.Value == state).Select(s => s.Key).Order(StringComparer.Ordinal)];
        var ports = new PortsView(
            [.. snapshot.AvailableByBucket.OrderBy(b => b.Key, StringComparer.Ordinal)
                .Select(b => new BucketPortsView(SecurityGroupSet.FromKey(b.Key).Ids, b.Value))],
            InState(PortState.Creating),
            [.. InState(PortState.Assigned).Select(id => new AssignedPortView(id, snapshot.Owners.GetValueOrDefault(id)))],
            InState(PortState.Recyclable),
            InState(PortState.Deleting));
        return new PoolDetailView(key.Id, key.Host, key.ProjectId, key.NetworkId, driver, CountsOf(snapshot), BucketsOf(snapshot), last, ports);
    }

    /// <summary>The VIFs the controller published for <paramref name="node"/>, by pod then interface.</summary>
    public async Task<NodeVifsView> VifsAsync(string node)
    {
        if (string.IsNullOrWhiteSpace(node) || node.IndexOfAny(['/', '{', '}']) >= 0)
        {
            throw PoolCtlException.Usage($"--node \"{node}\": a node name is non-empty and free of '/', '{{' and '}}'");
        }

        IReadOnlyList<NodeVifEntry> entries;
        try
        {
            entries = await Redis(() => vifs.GetAllAsync(node)).ConfigureAwait(false);
        }
        catch (NodeVifFormatException e)
        {
            throw new PoolCtlException($"node {node}: unreadable assignment in Redis: {e.Message}", e);
        }

        var result = new List<VifView>();
        foreach (var entry in entries.OrderBy(e => e.Namespace, StringComparer.Ordinal).ThenBy(e => e.PodName, StringComparer.Ordinal))
        {
            foreach (var (ifname, value) in entry.Assignment.Vifs.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                result.Add(ToView(entry, ifname, value));
            }
        }

        return new NodeVifsView(node, result);
    }

    private static VifView ToView(NodeVifEntry entry, string ifname, JsonNode? value)
    {
        var isDefault = value?["default"] is JsonValue d && d.TryGetValue(out bool b) && b;
        var node = value?["vif"];
        if (node is null)
        {
            return new VifView(entry.Namespace, entry.PodName, entry.Assignment.PodUid, ifname, isDefault, null, null, [], "(missing vif)", null);
        }

        try
        {
            var vif = VifJson.FromNode(node);
            var ips = vif.Network?.Subnets?.Items.SelectMany(s => s.Ips?.Items ?? []).Select(ip => ip.Address).OfType<string>().ToList() ?? [];
            return new VifView(entry.Namespace, entry.PodName, entry.Assignment.PodUid, ifname, isDefault, vif.Id, vif.Address, ips, vif.ObjectName, vif.Active);
        }
        catch (VifFormatException e)
        {
            return new VifView(entry.Namespace, entry.PodName, entry.Assignment.PodUid, ifname, isDefault, null, null, [], "(unreadable: " + e.Message + ")", null);
        }
    }

    private async Task<(string? Driver, LastPopulateView? Last)> MetaAsync(PoolKey key)
    {
        var driver = await Redis(() => metadata.GetDriverAsync(key)).ConfigureAwait(false);
        var last = await Redis(() => metadata.GetLastPopulateAsync(key)).ConfigureAwait(false);
        return (driver, last is null ? null : new LastPopulateView(last.At, last.At.ToUnixTimeMilliseconds(), last.Created));
    }

    internal static PoolCtlException UnknownPool(PoolKey key) =>
        new($"pool {key.Id} not found in Redis; list the pools with 'kuryr-poolctl list'");

    private static CountsView CountsOf(PoolSnapshot s) => new(
        s.Count(PortState.Creating), s.Count(PortState.Available), s.Count(PortState.Assigned),
        s.Count(PortState.Recyclable), s.Count(PortState.Deleting), s.States.Count);

    private static List<BucketView> BucketsOf(PoolSnapshot s) =>
        [.. s.AvailableByBucket.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => new BucketView(SecurityGroupSet.FromKey(b.Key).Ids, b.Value.Count))];

    private async Task<T> Redis<T>(Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            throw RedisUnreachable(redisEndpoints, e);
        }
    }

    internal static PoolCtlException RedisUnreachable(string endpoints, Exception? inner = null) =>
        new($"cannot reach Redis at {endpoints} ([redis] endpoints, or --redis){(inner is null ? "" : ": " + inner.Message)}", ExitCodes.Failed, inner);
}
