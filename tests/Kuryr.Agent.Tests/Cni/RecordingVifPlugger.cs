using System.Collections.Concurrent;
using Kuryr.Agent.Binding;

namespace Kuryr.Agent.Tests.Cni;

/// <summary>
/// Test double of the binding for the request-flow tests (the real IVifPlugger is another
/// engineer's; end-to-end plugging is tested once merged): records calls, answers what it is told.
/// </summary>
internal sealed class RecordingVifPlugger : IVifPlugger
{
    public ConcurrentQueue<PlugRequest> Plugs { get; } = new();

    public ConcurrentQueue<UnplugRequest> Unplugs { get; } = new();

    public ConcurrentQueue<PlugRequest> Checks { get; } = new();

    public IReadOnlyList<string> CheckProblems { get; set; } = [];

    /// <summary>How long each plug and unplug takes (to make overlaps visible).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>The most plug/unplug calls that ran at once for one container.</summary>
    public int MaxConcurrentPerContainer => _max;

    private readonly ConcurrentDictionary<string, int> _running = new();
    private int _max;

    public async Task<IReadOnlyList<PluggedInterface>> PlugAsync(PlugRequest request, CancellationToken cancellationToken)
    {
        Plugs.Enqueue(request);
        await TrackAsync(request.ContainerId);
        // Pod interfaces, then a host end per VIF (as the veth-based drivers report them).
        return [.. request.Vifs.Select(v => new PluggedInterface(v.InterfaceName, v.Vif.Address!, request.NetnsPath)),
            .. request.Vifs.Select((v, i) => new PluggedInterface($"tap{i}", $"aa:00:00:00:00:0{i}", ""))];
    }

    public async Task UnplugAsync(UnplugRequest request, CancellationToken cancellationToken)
    {
        Unplugs.Enqueue(request);
        await TrackAsync(request.ContainerId);
    }

    private async Task TrackAsync(string container)
    {
        var now = _running.AddOrUpdate(container, 1, (_, n) => n + 1);
        InterlockedMax(now);
        try
        {
            await Task.Delay(Delay);
        }
        finally
        {
            _running.AddOrUpdate(container, 0, (_, n) => n - 1);
        }
    }

    private void InterlockedMax(int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, seen) != seen)
        {
        }
    }

    public Task<IReadOnlyList<string>> CheckAsync(PlugRequest request, CancellationToken cancellationToken)
    {
        Checks.Enqueue(request);
        return Task.FromResult(CheckProblems);
    }
}
