using System.Globalization;
using System.Reflection;
using StackExchange.Redis;

namespace Kuryr.Pools.State;

/// <inheritdoc cref="IPoolStateStore"/>
internal sealed class RedisPoolStateStore : IPoolStateStore
{
    private static readonly string Common = LoadScript("common");
    private static readonly string AddScript = Common + LoadScript("add");
    private static readonly string TakeScript = Common + LoadScript("take");
    private static readonly string UntakeScript = Common + LoadScript("untake");
    private static readonly string ReleaseScript = Common + LoadScript("release");
    private static readonly string RecycleScript = Common + LoadScript("recycle");
    private static readonly string BeginDeleteScript = Common + LoadScript("begin_delete");
    private static readonly string ForgetScript = Common + LoadScript("forget");
    private static readonly string AssignScript = Common + LoadScript("assign");

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;

    public RedisPoolStateStore(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time)
    {
        _redis = redis;
        _keys = keys;
        _time = time;
    }

    private IDatabase Db => _redis.GetDatabase(_keys.Database);

    public Task<int> AddAvailableAsync(PoolKey pool, SecurityGroupSet securityGroups, IReadOnlyList<PooledPort> ports) =>
        AddAsync(pool, "available", securityGroups, ports);

    public Task<int> AddCreatingAsync(PoolKey pool, SecurityGroupSet securityGroups, IReadOnlyList<PooledPort> ports) =>
        AddAsync(pool, "creating", securityGroups, ports);

    public async Task<TakenPort?> TakeAsync(PoolKey pool, SecurityGroupSet securityGroups, string owner)
    {
        CheckOwner(owner);
        var r = await EvalAsync(TakeScript, pool, securityGroups.Key, owner).ConfigureAwait(false);
        if (r.IsNull)
        {
            return null;
        }

        var a = (RedisResult[])r!;
        var kind = (string)a[3]! switch
        {
            "match" => TakeKind.Match,
            "swap" => TakeKind.Swap,
            _ => TakeKind.Existing,
        };
        return new TakenPort((string)a[0]!, (string)a[1]!, SecurityGroupSet.FromKey((string)a[2]!), kind);
    }

    public async Task<AssignOutcome> AssignAsync(PoolKey pool, string portId, string vifJson, SecurityGroupSet securityGroups, string owner)
    {
        CheckOwner(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(portId);
        ArgumentNullException.ThrowIfNull(securityGroups);
        await Db.SetAddAsync(_keys.Registry, pool.Id).ConfigureAwait(false);
        return (string)(await EvalAsync(AssignScript, pool, portId, owner, securityGroups.Key, vifJson ?? "").ConfigureAwait(false))! switch
        {
            "assigned" => AssignOutcome.Assigned,
            "same" => AssignOutcome.AlreadyAssigned,
            "conflict" => AssignOutcome.Conflict,
            _ => AssignOutcome.Skipped,
        };
    }

    public async Task<bool> UntakeAsync(PoolKey pool, string portId, string owner, SecurityGroupSet originalSecurityGroups) =>
        (int)await EvalAsync(UntakeScript, pool, portId, owner, originalSecurityGroups.Key).ConfigureAwait(false) == 1;

    public async Task<ReleaseOutcome> ReleaseAsync(PoolKey pool, string portId, string? owner)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return (int)await EvalAsync(ReleaseScript, pool, portId, owner ?? "", now).ConfigureAwait(false) switch
        {
            1 => ReleaseOutcome.Released,
            0 => ReleaseOutcome.AlreadyReleased,
            -1 => ReleaseOutcome.UnknownPort,
            _ => ReleaseOutcome.NotHeldByOwner,
        };
    }

    public async Task<RecycleOutcome> RecycleAsync(PoolKey pool, string portId, SecurityGroupSet currentSecurityGroups, int maxAvailable)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxAvailable);
        return (string)(await EvalAsync(RecycleScript, pool, portId, currentSecurityGroups.Key, maxAvailable).ConfigureAwait(false))! switch
        {
            "available" => RecycleOutcome.Available,
            "deleting" => RecycleOutcome.Deleting,
            _ => RecycleOutcome.Skipped,
        };
    }

    public async Task<PortState?> BeginDeleteAsync(PoolKey pool, string portId, params PortState[] from)
    {
        ArgumentNullException.ThrowIfNull(from);
        var args = new RedisValue[from.Length + 1];
        args[0] = portId;
        for (var i = 0; i < from.Length; i++)
        {
            args[i + 1] = StateName(from[i]);
        }

        return ParseState(await EvalAsync(BeginDeleteScript, pool, args).ConfigureAwait(false));
    }

    public async Task<PortState?> ForgetAsync(PoolKey pool, string portId, bool force = false) =>
        ParseState(await EvalAsync(ForgetScript, pool, portId, force ? "force" : "").ConfigureAwait(false));

    public async Task<IReadOnlyList<string>> ListRecyclableAsync(PoolKey pool, DateTimeOffset releasedBefore)
    {
        var k = _keys.For(pool);
        var ids = await Db.SortedSetRangeByScoreAsync(k.Recyclable, double.NegativeInfinity, releasedBefore.ToUnixTimeMilliseconds()).ConfigureAwait(false);
        return [.. ids.Select(i => (string)i!)];
    }

    public async Task<PoolSnapshot> ReadAsync(PoolKey pool)
    {
        var k = _keys.For(pool);
        var tx = Db.CreateTransaction();
        var states = tx.HashGetAllAsync(k.State);
        var owners = tx.HashGetAllAsync(k.Owner);
        var counts = tx.HashGetAllAsync(k.Counts);
        var buckets = tx.SortedSetRangeByRankAsync(k.Buckets);
        await tx.ExecuteAsync().ConfigureAwait(false);

        var byBucket = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var b in await buckets.ConfigureAwait(false))
        {
            var list = await Db.ListRangeAsync(k.Bucket((string)b!)).ConfigureAwait(false);
            byBucket[(string)b!] = [.. list.Select(p => (string)p!)];
        }

        return new PoolSnapshot(
            pool,
            (await states.ConfigureAwait(false)).ToDictionary(e => (string)e.Name!, e => ParseStateName((string)e.Value!), StringComparer.Ordinal),
            byBucket,
            (await owners.ConfigureAwait(false)).ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal),
            (await counts.ConfigureAwait(false)).ToDictionary(e => ParseStateName((string)e.Name!), e => (long)e.Value));
    }

    public async Task<IReadOnlyList<PoolKey>> ListPoolsAsync()
    {
        var members = await Db.SetMembersAsync(_keys.Registry).ConfigureAwait(false);
        return [.. members.Select(m => PoolKey.Parse((string)m!)).OrderBy(p => p.Id, StringComparer.Ordinal)];
    }

    public async Task<bool> UnregisterIfEmptyAsync(PoolKey pool)
    {
        var k = _keys.For(pool);
        if (await Db.HashLengthAsync(k.State).ConfigureAwait(false) > 0)
        {
            return false;
        }

        await Db.SetRemoveAsync(_keys.Registry, pool.Id).ConfigureAwait(false);
        await Db.KeyDeleteAsync(k.Meta).ConfigureAwait(false);
        return true;
    }

    private async Task<int> AddAsync(PoolKey pool, string target, SecurityGroupSet sgs, IReadOnlyList<PooledPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        await Db.SetAddAsync(_keys.Registry, pool.Id).ConfigureAwait(false);
        if (ports.Count == 0)
        {
            return 0;
        }

        var args = new RedisValue[2 + (2 * ports.Count)];
        args[0] = target;
        args[1] = sgs.Key;
        for (var i = 0; i < ports.Count; i++)
        {
            args[2 + (2 * i)] = ports[i].PortId;
            args[3 + (2 * i)] = ports[i].VifJson;
        }

        return (int)await EvalAsync(AddScript, pool, args).ConfigureAwait(false);
    }

    private Task<RedisResult> EvalAsync(string script, PoolKey pool, params RedisValue[] args) =>
        Db.ScriptEvaluateAsync(script, _keys.For(pool).ScriptKeys, args);

    private static void CheckOwner(string owner)
    {
        if (string.IsNullOrWhiteSpace(owner))
        {
            throw new ArgumentException("owner must not be empty", nameof(owner));
        }
    }

    private static PortState? ParseState(RedisResult r) => r.IsNull ? null : ParseStateName((string)r!);

    internal static string StateName(PortState s) => s.ToString().ToLowerInvariant();

    internal static PortState ParseStateName(string s) => s switch
    {
        "creating" => PortState.Creating,
        "available" => PortState.Available,
        "assigned" => PortState.Assigned,
        "recyclable" => PortState.Recyclable,
        "deleting" => PortState.Deleting,
        _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"unknown port state \"{s}\" in Redis")),
    };

    private static string LoadScript(string name)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Kuryr.Pools.State.Lua.{name}.lua")
            ?? throw new InvalidOperationException($"embedded script {name}.lua missing");
        using var r = new StreamReader(s);
        return r.ReadToEnd() + "\n";
    }
}
