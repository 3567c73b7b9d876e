using Kuryr.Agent.Hosting;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuryr.Agent.Cni;

/// <summary>Whether this node's pools have ports to give (CNI STATUS).</summary>
public interface INodePoolStatus
{
    /// <summary>Null when the node can serve ADDs; otherwise why not (names the pools and counts).</summary>
    Task<string?> ProblemAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Reads the pools' Redis registry (<c>&lt;prefix&gt;:pools</c>, docs/redis-layout.md) for pools whose
/// host is this node's name or one of its addresses (nested pools are keyed by the VM's IP) and sums
/// their <c>counts</c> <c>available</c>. With <c>vif_pool_driver = noop</c> there are no pools: always fine.
/// </summary>
internal sealed class RedisNodePoolStatus(
    IConnectionMultiplexer redis,
    IKubernetesClient api,
    AgentNode node,
    IOptions<RedisOptions> redisOptions,
    IOptions<KubernetesOptions> kubernetes) : INodePoolStatus
{
    private string[]? _hosts;

    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        if (kubernetes.Value.VifPoolDriver == KuryrDrivers.NoopPool)
        {
            return null;
        }

        var hosts = _hosts ?? await HostsAsync(cancellationToken).ConfigureAwait(false);
        var prefix = redisOptions.Value.KeyPrefix;
        var db = redis.GetDatabase(redisOptions.Value.Database);
        var pools = (await db.SetMembersAsync(prefix + ":pools").ConfigureAwait(false))
            .Select(p => (string)p!)
            .Where(p => hosts.Contains(p.Split('/')[0], StringComparer.Ordinal))
            .ToList();
        if (pools.Count == 0)
        {
            return $"no ports pool for node {node.Name} (hosts {string.Join(", ", hosts)}) in Redis";
        }

        long available = 0;
        foreach (var pool in pools)
        {
            var count = await db.HashGetAsync($"{prefix}:pool:{{{pool}}}:counts", "available").ConfigureAwait(false);
            available += count.IsNull ? 0 : (long)count;
        }

        return available > 0 ? null : $"the ports pools of node {node.Name} are empty ({string.Join(", ", pools)}: 0 available)";
    }

    private async Task<string[]> HostsAsync(CancellationToken cancellationToken)
    {
        var n = await api.TryGetAsync(KubernetesResources.Nodes, null, node.Name, cancellationToken).ConfigureAwait(false);
        var addresses = n?.Status?.Addresses?.Where(a => a.Type is "InternalIP" or "ExternalIP" && !string.IsNullOrEmpty(a.Address)).Select(a => a.Address!).ToList() ?? [];
        string[] hosts = [node.Name, .. addresses];
        if (addresses.Count > 0)
        {
            // Kept once known; a Node without addresses yet is asked again next time.
            _hosts = hosts;
        }

        return hosts;
    }
}
