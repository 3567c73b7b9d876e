using Kuryr.Pools.State;

namespace Kuryr.Pools.Drivers.Noop;

/// <summary>
/// Kuryr's <c>noop</c> pool driver: no pool. Every request creates one port (through the pod VIF
/// driver's port maker, e.g. the neutron driver's bound, tagged port) and every release deletes it.
/// The manager still records the port in Redis (assigned) so that nothing leaks.
/// </summary>
internal sealed class NoopPoolDriver(IPoolDriver portMaker) : IPoolDriver
{
    public const string DriverName = "noop";

    public string Name => DriverName;

    public string PodVifDriver => portMaker.PodVifDriver;

    public bool Pooled => false;

    public PoolKey PoolFor(PodVifRequest request) => portMaker.PoolFor(request);

    public Task<IReadOnlyList<PooledPort>> CreatePortsAsync(PoolTarget target, int count, CancellationToken cancellationToken) =>
        portMaker.CreatePortsAsync(target, count, cancellationToken);

    public Task UpdateSecurityGroupsAsync(string portId, SecurityGroupSet securityGroups, CancellationToken cancellationToken) =>
        portMaker.UpdateSecurityGroupsAsync(portId, securityGroups, cancellationToken);

    public Task DeletePortsAsync(PoolKey pool, IReadOnlyList<string> portIds, CancellationToken cancellationToken) =>
        portMaker.DeletePortsAsync(pool, portIds, cancellationToken);

    public Task<IReadOnlyList<DiscoveredPort>> DiscoverAsync(CancellationToken cancellationToken) =>
        portMaker.DiscoverAsync(cancellationToken);
}
