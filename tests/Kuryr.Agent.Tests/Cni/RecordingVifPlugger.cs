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

    public Task<IReadOnlyList<PluggedInterface>> PlugAsync(PlugRequest request, CancellationToken cancellationToken)
    {
        Plugs.Enqueue(request);
        return Task.FromResult<IReadOnlyList<PluggedInterface>>([.. request.Vifs.Select(v => new PluggedInterface(v.InterfaceName, v.Vif.Address!, request.NetnsPath))]);
    }

    public Task UnplugAsync(UnplugRequest request, CancellationToken cancellationToken)
    {
        Unplugs.Enqueue(request);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> CheckAsync(PlugRequest request, CancellationToken cancellationToken)
    {
        Checks.Enqueue(request);
        return Task.FromResult(CheckProblems);
    }
}
