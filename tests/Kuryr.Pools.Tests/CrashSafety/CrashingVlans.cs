using Kuryr.Pools.State;

namespace Kuryr.Pools.Tests.CrashSafety;

/// <summary>The real Redis VLAN reservations, through a <see cref="CrashPlan"/>; remembers every id it reserved.</summary>
internal sealed class CrashingVlans(IVlanReservations inner, CrashPlan plan) : IVlanReservations
{
    private readonly List<int> _reserved = [];

    public IReadOnlyList<int> Reserved
    {
        get
        {
            lock (_reserved)
            {
                return [.. _reserved];
            }
        }
    }

    public async Task<IReadOnlyList<int>> ReserveAsync(string trunkId, IReadOnlyCollection<int> inUse, int count)
    {
        var ids = await plan.RunAsync("vlans.Reserve", () => inner.ReserveAsync(trunkId, inUse, count)).ConfigureAwait(false);
        lock (_reserved)
        {
            _reserved.AddRange(ids);
        }

        return ids;
    }

    public Task<int> ReleaseAsync(string trunkId, IReadOnlyCollection<int> vlanIds) =>
        plan.RunAsync("vlans.Release", () => inner.ReleaseAsync(trunkId, vlanIds));

    public Task<IReadOnlyList<int>> ListAsync(string trunkId) => plan.RunAsync("vlans.List", () => inner.ListAsync(trunkId));

    public Task<int> SyncAsync(string trunkId, IReadOnlyCollection<int> inUse, DateTimeOffset staleBefore) =>
        plan.RunAsync("vlans.Sync", () => inner.SyncAsync(trunkId, inUse, staleBefore));
}
