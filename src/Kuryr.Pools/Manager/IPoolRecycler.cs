namespace Kuryr.Pools.Manager;

/// <summary>The pool manager's recycle loop, for the host to run on the leader.</summary>
public interface IPoolRecycler
{
    /// <summary>Recycles released ports every <c>[vif_pool] ports_pool_update_frequency</c> until cancelled.</summary>
    Task RunRecycleLoopAsync(CancellationToken cancellationToken);
}
