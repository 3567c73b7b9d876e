using System.Collections.Concurrent;
using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Subnets;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.Drivers.Common;

/// <summary>A pod subnet and its network, as needed to build VIFs.</summary>
public sealed record SubnetInfo(Subnet Subnet, Network Network);

/// <summary>Subnet and network lookups for VIF building, memoized per <c>[subnet_caching]</c>
/// (Kuryr's <c>utils.get_subnet</c>).</summary>
public interface ISubnetCache
{
    Task<SubnetInfo> GetAsync(string subnetId, CancellationToken cancellationToken = default);
}

internal sealed class SubnetCache(INeutronClient neutron, IOptions<SubnetCachingOptions> options, TimeProvider time) : ISubnetCache
{
    private readonly ConcurrentDictionary<string, (SubnetInfo Info, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public async Task<SubnetInfo> GetAsync(string subnetId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(subnetId))
        {
            throw new PoolDriverException("subnet id must not be empty (set [neutron_defaults] pod_subnet)");
        }

        var now = time.GetUtcNow();
        var caching = options.Value;
        if (caching.Caching && _cache.TryGetValue(subnetId, out var hit) && hit.Expires > now)
        {
            return hit.Info;
        }

        var subnet = await neutron.GetSubnetAsync(subnetId, cancellationToken).ConfigureAwait(false);
        var network = await neutron.GetNetworkAsync(subnet.NetworkId, cancellationToken).ConfigureAwait(false);
        var info = new SubnetInfo(subnet, network);
        if (caching.Caching)
        {
            _cache[subnetId] = (info, now + caching.CacheTime);
        }

        return info;
    }
}
