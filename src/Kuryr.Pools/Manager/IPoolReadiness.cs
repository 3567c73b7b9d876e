using Kuryr.Pools.Recovery;

namespace Kuryr.Pools.Manager;

/// <summary>Readiness gate of the pools: false until recovery has checked or rebuilt them.</summary>
public interface IPoolReadiness
{
    bool IsReady { get; }

    /// <summary>For hosts without <see cref="IPoolRecovery"/> (tools, tests): declares the pools recovered.</summary>
    void MarkRecovered();
}

/// <summary>Follows <see cref="IPoolRecovery.IsRecovered"/> when recovery is registered, else the manual flag.</summary>
internal sealed class PoolReadiness(IPoolRecovery? recovery = null) : IPoolReadiness
{
    private volatile bool _recovered;

    public bool IsReady => recovery?.IsRecovered ?? _recovered;

    public void MarkRecovered() => _recovered = true;
}

/// <summary>Hooks the controller implements (Kubernetes Events such as <c>FailToPopulateVIFPool</c>).</summary>
public interface IPoolEvents
{
    /// <summary>A (background) population failed.</summary>
    Task OnPopulateFailedAsync(PoolTarget target, Exception exception, CancellationToken cancellationToken);
}

internal sealed class NullPoolEvents : IPoolEvents
{
    public Task OnPopulateFailedAsync(PoolTarget target, Exception exception, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A request lost the race for fresh ports too many times (newer requests took them): retry later.</summary>
public sealed class PoolExhaustedException : Exception
{
    public PoolExhaustedException() { }

    public PoolExhaustedException(string message) : base(message) { }

    public PoolExhaustedException(string message, Exception innerException) : base(message, innerException) { }
}
