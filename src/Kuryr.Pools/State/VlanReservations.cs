using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace Kuryr.Pools.State;

/// <summary>
/// The VLAN ids reserved per trunk (nested pools), shared by every controller replica. Kuryr kept
/// them in process memory and leaked them on errors and restarts (LP #1951443); here they live in
/// one Redis ZSET per trunk (member = VLAN id, score = reservation time), hash-tagged on the trunk
/// id, and every change is one atomic Lua step. Layout: docs/redis-layout.md, docs/pools-nested.md.
/// </summary>
public interface IVlanReservations
{
    /// <summary>Reserves up to <paramref name="count"/> VLAN ids of <paramref name="trunkId"/> among
    /// 1–4094, never one in <paramref name="inUse"/> (the trunk's subports) nor one reserved already.
    /// Fewer (or none) are returned when fewer are free. Ids are picked at random, as Kuryr did, so
    /// an id just released (whose VLAN interface may linger in a stale netns) is rarely reused at once.</summary>
    Task<IReadOnlyList<int>> ReserveAsync(string trunkId, IReadOnlyCollection<int> inUse, int count);

    /// <summary>Releases ids (idempotent); returns how many were reserved.</summary>
    Task<int> ReleaseAsync(string trunkId, IReadOnlyCollection<int> vlanIds);

    /// <summary>The ids reserved on a trunk now.</summary>
    Task<IReadOnlyList<int>> ListAsync(string trunkId);

    /// <summary>Recovery/GC: reserves every id in use on the trunk and drops the reservations older
    /// than <paramref name="staleBefore"/> that are not in use (a creator crashed before attaching).
    /// Returns how many were dropped.</summary>
    Task<int> SyncAsync(string trunkId, IReadOnlyCollection<int> inUse, DateTimeOffset staleBefore);
}

/// <summary>VLAN id bounds (802.1Q: 0 and 4095 are reserved).</summary>
public static class VlanIds
{
    public const int Min = 1;

    public const int Max = 4094;

    /// <summary>Every id in <see cref="Min"/>..<see cref="Max"/> not in <paramref name="inUse"/>, in random order.</summary>
    public static int[] ShuffledFreeIds(IReadOnlyCollection<int> inUse)
    {
        ArgumentNullException.ThrowIfNull(inUse);
        var used = inUse as IReadOnlySet<int> ?? inUse.ToHashSet();
        var free = Enumerable.Range(Min, Max - Min + 1).Where(i => !used.Contains(i)).ToArray();
        RandomNumberGenerator.Shuffle(free.AsSpan());
        return free;
    }
}

/// <inheritdoc cref="IVlanReservations"/>
internal sealed class RedisVlanReservations : IVlanReservations
{
    private static readonly string ReserveScript = LoadScript("vlan_reserve");
    private static readonly string ReleaseScript = LoadScript("vlan_release");
    private static readonly string SyncScript = LoadScript("vlan_sync");

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;

    public RedisVlanReservations(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time)
    {
        _redis = redis;
        _keys = keys;
        _time = time;
    }

    private IDatabase Db => _redis.GetDatabase(_keys.Database);

    /// <summary><c>PREFIX:trunk:{TRUNK_ID}:vlans</c>: ZSET VLAN id → reservation time (Unix ms).</summary>
    public static RedisKey KeyFor(RedisKeys keys, string trunkId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (string.IsNullOrWhiteSpace(trunkId) || trunkId.IndexOfAny(['{', '}']) >= 0)
        {
            throw new ArgumentException($"trunk id \"{trunkId}\" must be non-empty and free of '{{' and '}}'", nameof(trunkId));
        }

        return $"{keys.Prefix}:trunk:{{{trunkId}}}:vlans";
    }

    public async Task<IReadOnlyList<int>> ReserveAsync(string trunkId, IReadOnlyCollection<int> inUse, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var key = KeyFor(_keys, trunkId);
        if (count == 0)
        {
            return [];
        }

        var candidates = VlanIds.ShuffledFreeIds(inUse);
        var args = new RedisValue[candidates.Length + 2];
        args[0] = count;
        args[1] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < candidates.Length; i++)
        {
            args[i + 2] = candidates[i];
        }

        var r = await Db.ScriptEvaluateAsync(ReserveScript, [key], args).ConfigureAwait(false);
        return [.. ((RedisResult[])r!).Select(v => (int)v)];
    }

    public async Task<int> ReleaseAsync(string trunkId, IReadOnlyCollection<int> vlanIds)
    {
        ArgumentNullException.ThrowIfNull(vlanIds);
        var key = KeyFor(_keys, trunkId);
        if (vlanIds.Count == 0)
        {
            return 0;
        }

        var args = vlanIds.Select(v => (RedisValue)Check(v)).ToArray();
        return (int)await Db.ScriptEvaluateAsync(ReleaseScript, [key], args).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<int>> ListAsync(string trunkId)
    {
        var members = await Db.SortedSetRangeByRankAsync(KeyFor(_keys, trunkId)).ConfigureAwait(false);
        return [.. members.Select(m => int.Parse((string)m!, CultureInfo.InvariantCulture)).Order()];
    }

    public async Task<int> SyncAsync(string trunkId, IReadOnlyCollection<int> inUse, DateTimeOffset staleBefore)
    {
        ArgumentNullException.ThrowIfNull(inUse);
        var key = KeyFor(_keys, trunkId);
        var args = new RedisValue[inUse.Count + 2];
        args[0] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        args[1] = staleBefore.ToUnixTimeMilliseconds();
        var i = 2;
        foreach (var v in inUse)
        {
            args[i++] = Check(v);
        }

        return (int)await Db.ScriptEvaluateAsync(SyncScript, [key], args).ConfigureAwait(false);
    }

    private static int Check(int vlanId) =>
        vlanId is < VlanIds.Min or > VlanIds.Max
            ? throw new ArgumentOutOfRangeException(nameof(vlanId), vlanId, $"VLAN id must be {VlanIds.Min}-{VlanIds.Max}")
            : vlanId;

    private static string LoadScript(string name)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Kuryr.Pools.State.Lua.{name}.lua")
            ?? throw new InvalidOperationException($"embedded script {name}.lua missing");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
