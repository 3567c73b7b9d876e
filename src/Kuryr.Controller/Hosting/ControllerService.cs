using Kuryr.Config;
using Kuryr.Config.Options;
using Kuryr.Controller.Handlers.Pipeline;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Crds;
using Kuryr.Kubernetes.LeaderElection;
using Kuryr.Pools.GarbageCollection;
using Kuryr.Pools.Manager;
using Kuryr.Pools.Recovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Hosting;

/// <summary>
/// The controller's life: installs the CRDs, starts the informers, campaigns for the Lease; while
/// leading runs pool recovery, the recycle loop, the leaked-port GC and the handler workers, all
/// ended by the term. On shutdown the workers stop and drain first, then the Lease is released.
/// </summary>
internal sealed partial class ControllerService(
    IHandlerPipeline pipeline,
    ILeaderElector elector,
    ICrdInstaller crds,
    IServiceProvider services,
    IOptions<KubernetesOptions> kubernetes,
    TimeProvider time,
    ILogger<ControllerService> logger) : BackgroundService
{
    private readonly Lock _termsLock = new();
    private readonly List<Task> _terms = [];
    private readonly CancellationTokenSource _stopWork = new();

    /// <summary>Lease released (or never held) and everything stopped.</summary>
    public override void Dispose()
    {
        _stopWork.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await InstallCrdsAsync(stoppingToken).ConfigureAwait(false);
        elector.StartedLeading += OnStartedLeading;
        elector.StoppedLeading += OnStoppedLeading;

        // The election runs until the workers have drained, so the Lease is released last.
        using var electionStop = new CancellationTokenSource();
        var informers = pipeline.RunInformersAsync(stoppingToken);
        Task? election = null;
        try
        {
            await pipeline.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
            var handlers = string.Join(",", pipeline.Handlers);
            LogSynced(logger, handlers);
            election = elector.RunAsync(electionStop.Token);
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            LogStopping(logger);
            await _stopWork.CancelAsync().ConfigureAwait(false);
            Task[] terms;
            lock (_termsLock)
            {
                terms = [.. _terms];
            }

            await Task.WhenAll(terms).ConfigureAwait(false);
            await electionStop.CancelAsync().ConfigureAwait(false);
            if (election is not null)
            {
                await election.ConfigureAwait(false);
            }

            await informers.ConfigureAwait(false);
            elector.StartedLeading -= OnStartedLeading;
            elector.StoppedLeading -= OnStoppedLeading;
            LogStopped(logger);
        }
    }

    private async Task InstallCrdsAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                foreach (var result in await crds.EnsureInstalledAsync(cancellationToken).ConfigureAwait(false))
                {
                    var action = result.Action.ToString();
                    LogCrd(logger, result.Name, action);
                }

                return;
            }
            catch (KubernetesApiException e) when (e.IsForbidden)
            {
                // Not allowed to manage CRDs: the operator installed them (kubectl apply -f controller/crds/).
                LogCrdsNotAllowed(logger, e.Message);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCrdsFailed(logger, delay.TotalSeconds, e);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
        }
    }

    private void OnStartedLeading(object? sender, LeadershipEventArgs e)
    {
        LogStartedLeading(logger, e.Identity);
        lock (_termsLock)
        {
            _terms.RemoveAll(t => t.IsCompleted);
            _terms.Add(Task.Run(() => LeadAsync(e.Term), CancellationToken.None));
        }
    }

    private void OnStoppedLeading(object? sender, LeadershipEventArgs e) => LogStoppedLeading(logger, e.Identity);

    private async Task LeadAsync(CancellationToken leaseTerm)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(leaseTerm, _stopWork.Token);
        var term = linked.Token;
        var pools = kubernetes.Value.VifPoolDriver != KuryrDrivers.NoopPool;
        var tasks = new List<Task>();
        var recovery = services.GetService<IPoolRecovery>();
        if (pools && recovery is not null)
        {
            try
            {
                var report = await recovery.RecoverAsync(term).ConfigureAwait(false);
                LogRecovered(logger, report.PoolsChecked, report.PortsDiscovered, report.TotalRepairs);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // RunAsync below retries; handlers needing the pools wait (not ready) meanwhile.
                LogRecoveryFailed(logger, ex);
            }

            tasks.Add(Guard("pool recovery", recovery.RunAsync(term)));
        }

        if (pools)
        {
            if (services.GetService<IPoolRecycler>() is { } loop)
            {
                tasks.Add(Guard("recycle loop", loop.RunRecycleLoopAsync(term)));
            }

            if (services.GetService<ILeakedPortCollector>() is { } gc)
            {
                tasks.Add(Guard("port garbage collection", gc.RunAsync(term)));
            }
        }

        tasks.Add(Guard("handler workers", pipeline.RunWorkersAsync(term)));
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task Guard(string what, Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            LogLoopFailed(logger, what, e);
        }
    }

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Informers synced (handlers: {Handlers}); campaigning for the leader Lease")]
    private static partial void LogSynced(ILogger logger, string handlers);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Information, Message = "Started leading as {Identity}: recovering pools, starting loops and handler workers")]
    private static partial void LogStartedLeading(ILogger logger, string identity);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Warning, Message = "Stopped leading as {Identity}: leader-only work stops")]
    private static partial void LogStoppedLeading(ILogger logger, string identity);

    [LoggerMessage(EventId = 5023, Level = LogLevel.Information, Message = "Pools recovered: {Pools} pools checked, {Ports} ports discovered, {Repairs} repairs")]
    private static partial void LogRecovered(ILogger logger, int pools, int ports, int repairs);

    [LoggerMessage(EventId = 5024, Level = LogLevel.Error, Message = "Pool recovery failed; retrying in the background")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5025, Level = LogLevel.Error, Message = "Leader loop {Loop} stopped with an error")]
    private static partial void LogLoopFailed(ILogger logger, string loop, Exception exception);

    [LoggerMessage(EventId = 5026, Level = LogLevel.Information, Message = "CRD {Crd}: {Action}")]
    private static partial void LogCrd(ILogger logger, string crd, string action);

    [LoggerMessage(EventId = 5027, Level = LogLevel.Warning, Message = "Not allowed to install the CRDs, assuming they are installed: {Reason}")]
    private static partial void LogCrdsNotAllowed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5028, Level = LogLevel.Warning, Message = "Installing the CRDs failed; retrying in {Seconds} s")]
    private static partial void LogCrdsFailed(ILogger logger, double seconds, Exception exception);

    [LoggerMessage(EventId = 5029, Level = LogLevel.Information, Message = "Shutting down: stopping handler workers and leader loops, then releasing the Lease")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "kuryr-controller stopped")]
    private static partial void LogStopped(ILogger logger);
}
