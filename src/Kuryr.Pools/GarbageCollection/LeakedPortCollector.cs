using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Ports;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Ownership;
using Kuryr.Pools.Recovery;
using Kuryr.Pools.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Pools.GarbageCollection;

/// <inheritdoc cref="ILeakedPortCollector"/>
/// <remarks>
/// Order of the listings: Neutron first, then Redis, then the KuryrPorts, so a port a population is
/// just adding, or a take is just writing into a KuryrPort, is seen in Redis or the KuryrPort. The
/// grace period and the second pass cover the rest. Ports a pool driver discovers are deleted through
/// that driver (nested: remove_subports first, VLAN id released); others (e.g. a nested port that never
/// made it onto its trunk) are deleted directly.
/// </remarks>
internal sealed partial class LeakedPortCollector : ILeakedPortCollector, IDisposable
{
    private readonly INeutronClient _neutron;
    private readonly IPortOwnership _ownership;
    private readonly IReadOnlyList<IPoolDriver> _drivers;
    private readonly IPoolStateStore _store;
    private readonly IKuryrPortReferences _references;
    private readonly TimeProvider _time;
    private readonly TimeSpan _grace;
    private readonly LeakedPortCollectorOptions _options;
    private readonly ILogger<LeakedPortCollector> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HashSet<string> _seenOnce = new(StringComparer.Ordinal);

    public LeakedPortCollector(
        INeutronClient neutron,
        IPortOwnership ownership,
        IEnumerable<IPoolDriver> drivers,
        IPoolStateStore store,
        IKuryrPortReferences references,
        TimeProvider time,
        IOptions<VifPoolOptions> vifPool,
        IOptions<LeakedPortCollectorOptions> options,
        ILogger<LeakedPortCollector> logger)
    {
        _neutron = neutron;
        _ownership = ownership;
        _drivers = [.. drivers.DistinctBy(d => (d.Name, d.PodVifDriver))];
        _store = store;
        _references = references;
        _time = time;
        _grace = vifPool.Value.GcGracePeriod;
        _options = options.Value;
        _logger = logger;
        if (_options.PageSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.PageSize, "garbage collection PageSize must be at least 1");
        }
    }

    public IReadOnlyCollection<string> SeenOnce => _seenOnce;

    public void Dispose() => _gate.Dispose();

    public async Task<CollectionReport> CollectAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CollectLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.Interval, _time, cancellationToken).ConfigureAwait(false);
                await CollectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(e);
            }
        }
    }

    private async Task<CollectionReport> CollectLockedAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        List<Port> tagged;
        Dictionary<string, (IPoolDriver Driver, PoolKey Pool)> discovered;
        HashSet<string> inRedis;
        KuryrPortReferenceSet references;
        try
        {
            tagged = [];
            var filter = new PortFilter { Tags = [.. _ownership.Tags], Limit = _options.PageSize };
            await foreach (var port in _neutron.ListPortsAsync(filter, cancellationToken).ConfigureAwait(false))
            {
                tagged.Add(port);
            }

            discovered = new Dictionary<string, (IPoolDriver, PoolKey)>(StringComparer.Ordinal);
            foreach (var driver in _drivers)
            {
                foreach (var d in await driver.DiscoverAsync(cancellationToken).ConfigureAwait(false))
                {
                    discovered.TryAdd(d.PortId, (driver, d.Pool));
                }
            }

            inRedis = new HashSet<string>(StringComparer.Ordinal);
            foreach (var pool in await _store.ListPoolsAsync().ConfigureAwait(false))
            {
                inRedis.UnionWith((await _store.ReadAsync(pool).ConfigureAwait(false)).States.Keys);
            }

            references = await _references.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Never act on a partial listing; the seen-once set stays as the last complete pass left it.
            LogAborted(e, _seenOnce.Count);
            return new CollectionReport { AbortedBecause = e.GetType().Name + ": " + e.Message };
        }

        var candidates = new List<string>();
        var tooYoung = 0;
        foreach (var port in tagged)
        {
            if (!_ownership.IsOurs(port.Tags) || inRedis.Contains(port.Id) || references.IsReferenced(port.Id))
            {
                continue;
            }

            if (port.CreatedAt is not { } created || now - created < _grace)
            {
                tooYoung++;
                continue;
            }

            candidates.Add(port.Id);
        }

        var deleted = new List<string>();
        var next = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in candidates)
        {
            if (!_seenOnce.Contains(id))
            {
                next.Add(id);
                LogSeenOnce(id);
                continue;
            }

            try
            {
                if (discovered.TryGetValue(id, out var owner))
                {
                    await owner.Driver.DeletePortsAsync(owner.Pool, [id], cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _neutron.DeletePortAsync(id, cancellationToken).ConfigureAwait(false);
                }

                deleted.Add(id);
                LogDeleted(id);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                next.Add(id); // still a candidate: tried again next pass
                LogDeleteFailed(e, id);
            }
        }

        _seenOnce = next;
        LogPass(tagged.Count, candidates.Count, deleted.Count, tooYoung);
        return new CollectionReport { Listed = tagged.Count, Candidates = candidates, Deleted = deleted, TooYoung = tooYoung };
    }
}
