using Kuryr.Pools.Drivers;
using Kuryr.Pools.State;

namespace Kuryr.Pools.Tests.CrashSafety;

/// <summary>The simulated process died at <see cref="Step"/>: every later call of that process fails too.</summary>
public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException() { }

    public SimulatedCrashException(string step) : base("simulated crash at " + step) => Step = step;

    public SimulatedCrashException(string message, Exception innerException) : base(message, innerException) { }

    public string Step { get; } = "";
}

/// <summary>
/// Where one "process" (a pool manager over crashing wrappers of the REAL store, lock service and
/// driver) dies. Every call to Redis or Neutron is a step named <c>component.Method#n</c> (n-th call).
/// Without <see cref="CrashBefore"/> the plan only records the steps; with it, the process dies
/// just before that step: the step and everything after it (compensations included, e.g. an untake
/// after a failed SG update, a lock release) never reach Redis or Neutron, like a killed process.
/// A call already sent when the process dies completes on the server, but its answer is lost.
/// </summary>
internal sealed class CrashPlan
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _recorded = [];

    public string? CrashBefore { get; init; }

    public string? CrashedAt { get; private set; }

    public bool Crashed => CrashedAt is not null;

    public IReadOnlyList<string> Recorded
    {
        get
        {
            lock (_gate)
            {
                return [.. _recorded];
            }
        }
    }

    /// <summary>Called before a step reaches Redis or Neutron.</summary>
    public void Step(string name)
    {
        lock (_gate)
        {
            ThrowIfCrashed();
            var n = _counts[name] = _counts.GetValueOrDefault(name) + 1;
            var id = name + "#" + n;
            if (id == CrashBefore)
            {
                CrashedAt = id;
                throw new SimulatedCrashException(id);
            }

            _recorded.Add(id);
        }
    }

    /// <summary>Called when a step's answer comes back: a dead process never sees it.</summary>
    public void Returned()
    {
        lock (_gate)
        {
            ThrowIfCrashed();
        }
    }

    /// <summary>Kills the process now (after its last step).</summary>
    public void Kill()
    {
        lock (_gate)
        {
            CrashedAt ??= "(end)";
        }
    }

    private void ThrowIfCrashed()
    {
        if (CrashedAt is not null)
        {
            throw new SimulatedCrashException(CrashedAt);
        }
    }

    public async Task<T> RunAsync<T>(string name, Func<Task<T>> call)
    {
        Step(name);
        var result = await call().ConfigureAwait(false);
        Returned();
        return result;
    }

    public async Task RunAsync(string name, Func<Task> call)
    {
        Step(name);
        await call().ConfigureAwait(false);
        Returned();
    }
}

/// <summary>The real Redis state store, through a <see cref="CrashPlan"/>.</summary>
internal sealed class CrashingStore(IPoolStateStore inner, CrashPlan plan) : IPoolStateStore
{
    public Task<int> AddAvailableAsync(PoolKey pool, SecurityGroupSet securityGroups, IReadOnlyList<PooledPort> ports) =>
        plan.RunAsync("store.AddAvailable", () => inner.AddAvailableAsync(pool, securityGroups, ports));

    public Task<int> AddCreatingAsync(PoolKey pool, SecurityGroupSet securityGroups, IReadOnlyList<PooledPort> ports) =>
        plan.RunAsync("store.AddCreating", () => inner.AddCreatingAsync(pool, securityGroups, ports));

    public Task<TakenPort?> TakeAsync(PoolKey pool, SecurityGroupSet securityGroups, string owner) =>
        plan.RunAsync("store.Take", () => inner.TakeAsync(pool, securityGroups, owner));

    public Task<AssignOutcome> AssignAsync(PoolKey pool, string portId, string vifJson, SecurityGroupSet securityGroups, string owner) =>
        plan.RunAsync("store.Assign", () => inner.AssignAsync(pool, portId, vifJson, securityGroups, owner));

    public Task<bool> UntakeAsync(PoolKey pool, string portId, string owner, SecurityGroupSet originalSecurityGroups) =>
        plan.RunAsync("store.Untake", () => inner.UntakeAsync(pool, portId, owner, originalSecurityGroups));

    public Task<ReleaseOutcome> ReleaseAsync(PoolKey pool, string portId, string? owner) =>
        plan.RunAsync("store.Release", () => inner.ReleaseAsync(pool, portId, owner));

    public Task<RecycleOutcome> RecycleAsync(PoolKey pool, string portId, SecurityGroupSet currentSecurityGroups, int maxAvailable) =>
        plan.RunAsync("store.Recycle", () => inner.RecycleAsync(pool, portId, currentSecurityGroups, maxAvailable));

    public Task<PortState?> BeginDeleteAsync(PoolKey pool, string portId, params PortState[] from) =>
        plan.RunAsync("store.BeginDelete", () => inner.BeginDeleteAsync(pool, portId, from));

    public Task<PortState?> ForgetAsync(PoolKey pool, string portId, bool force = false) =>
        plan.RunAsync("store.Forget", () => inner.ForgetAsync(pool, portId, force));

    public Task<IReadOnlyList<string>> ListRecyclableAsync(PoolKey pool, DateTimeOffset releasedBefore) =>
        plan.RunAsync("store.ListRecyclable", () => inner.ListRecyclableAsync(pool, releasedBefore));

    public Task<PoolSnapshot> ReadAsync(PoolKey pool) => plan.RunAsync("store.Read", () => inner.ReadAsync(pool));

    public Task<IReadOnlyList<PoolKey>> ListPoolsAsync() => plan.RunAsync("store.ListPools", inner.ListPoolsAsync);

    public Task<bool> UnregisterIfEmptyAsync(PoolKey pool) => plan.RunAsync("store.UnregisterIfEmpty", () => inner.UnregisterIfEmptyAsync(pool));
}

/// <summary>The real population lock, through a <see cref="CrashPlan"/>: a dead process never releases it.</summary>
internal sealed class CrashingLocks(IPopulateLockService inner, CrashPlan plan) : IPopulateLockService
{
    public async Task<IPopulateLock?> TryAcquireAsync(PoolKey pool, TimeSpan ttl)
    {
        var held = await plan.RunAsync("lock.Acquire", () => inner.TryAcquireAsync(pool, ttl)).ConfigureAwait(false);
        return held is null ? null : new Held(held, plan);
    }

    private sealed class Held(IPopulateLock inner, CrashPlan plan) : IPopulateLock
    {
        public PoolKey Pool => inner.Pool;

        public string Token => inner.Token;

        public Task<bool> ExtendAsync(TimeSpan ttl) => plan.RunAsync("lock.Extend", () => inner.ExtendAsync(ttl));

        public async ValueTask DisposeAsync() => await plan.RunAsync("lock.Release", async () => await inner.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }
}

/// <summary>The real pool driver (Neutron), through a <see cref="CrashPlan"/>.</summary>
internal sealed class CrashingDriver(IPoolDriver inner, CrashPlan plan) : IPoolDriver
{
    public string Name => inner.Name;

    public string PodVifDriver => inner.PodVifDriver;

    public bool Pooled => inner.Pooled;

    public PoolKey PoolFor(PodVifRequest request) => inner.PoolFor(request);

    public Task<IReadOnlyList<PooledPort>> CreatePortsAsync(PoolTarget target, int count, CancellationToken cancellationToken) =>
        plan.RunAsync("neutron.CreatePorts", () => inner.CreatePortsAsync(target, count, cancellationToken));

    public Task UpdateSecurityGroupsAsync(string portId, SecurityGroupSet securityGroups, CancellationToken cancellationToken) =>
        plan.RunAsync("neutron.UpdateSecurityGroups", () => inner.UpdateSecurityGroupsAsync(portId, securityGroups, cancellationToken));

    public Task DeletePortsAsync(PoolKey pool, IReadOnlyList<string> portIds, CancellationToken cancellationToken) =>
        plan.RunAsync("neutron.DeletePorts", () => inner.DeletePortsAsync(pool, portIds, cancellationToken));

    public Task<IReadOnlyList<DiscoveredPort>> DiscoverAsync(CancellationToken cancellationToken) =>
        plan.RunAsync("neutron.Discover", () => inner.DiscoverAsync(cancellationToken));
}
