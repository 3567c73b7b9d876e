using BenchmarkDotNet.Attributes;
using Kuryr.Pools.State;
using StackExchange.Redis;

namespace Kuryr.Bench.Pools;

/// <summary>
/// The pod's critical path inside the controller: one atomic take and one release of a pooled
/// port in the real Redis (REDIS_ENDPOINT, default 127.0.0.1:16379, started by bench/run.sh).
/// </summary>
[MemoryDiagnoser]
public class PoolStateBenchmarks
{
    private static readonly PoolKey Pool = new("bench-node", "bench-project", "bench-network");
    private static readonly SecurityGroupSet Sgs = new(["sg-bench"]);
    private ConnectionMultiplexer _mux = null!;
    private RedisPoolStateStore _store = null!;
    private int _n;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _mux = await ConnectionMultiplexer.ConnectAsync(Environment.GetEnvironmentVariable("REDIS_ENDPOINT") ?? "127.0.0.1:16379");
        _store = new RedisPoolStateStore(_mux, new RedisKeys($"bench-{Guid.NewGuid():N}"), TimeProvider.System);
        await _store.AddAvailableAsync(Pool, Sgs, [.. Enumerable.Range(0, 64).Select(i => new PooledPort($"port-{i}", "{\"versioned_object.name\":\"VIFOpenVSwitch\"}"))]);
    }

    [GlobalCleanup]
    public void Cleanup() => _mux.Dispose();

    /// <summary>take + release + recycle: a pod's whole port life cycle in Redis (3 round trips).</summary>
    [Benchmark]
    public async Task TakeReleaseRecycle()
    {
        var owner = $"ns/pod-{_n++}/uid/eth0";
        var t = await _store.TakeAsync(Pool, Sgs, owner) ?? throw new InvalidOperationException("pool empty");
        await _store.ReleaseAsync(Pool, t.PortId, owner);
        await _store.RecycleAsync(Pool, t.PortId, Sgs, 0);
    }

    /// <summary>One take alone (what a pod waits for), released outside the measurement.</summary>
    [Benchmark]
    public async Task<string> Take()
    {
        var owner = $"ns/pod-{_n++}/uid/eth0";
        var t = await _store.TakeAsync(Pool, Sgs, owner) ?? throw new InvalidOperationException("pool empty");
        await _store.ForgetAsync(Pool, t.PortId, force: true);
        await _store.AddAvailableAsync(Pool, Sgs, [new PooledPort(t.PortId, t.VifJson)]);
        return t.PortId;
    }
}
