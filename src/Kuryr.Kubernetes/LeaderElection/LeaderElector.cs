using System.Security.Cryptography;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.LeaderElection;

/// <summary>
/// client-go's LeaderElector over a Lease. Expiry is judged on this candidate's clock: the time it
/// first observed the current record (holder + renewTime + ...), plus the record's
/// leaseDurationSeconds, so clock skew between candidates does not matter. Writes use the read
/// resourceVersion (optimistic concurrency): of two candidates racing for an expired lease, one
/// gets 409 Conflict.
/// </summary>
internal sealed partial class LeaderElector : ILeaderElector, IDisposable
{
    private static readonly ResourceType<Lease> Leases = KubernetesResources.Leases;
    private readonly object _gate = new();
    private readonly IKubernetesClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private TaskCompletionSource _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _term;
    private Lease? _observed;
    private long _observedAt;
    private string? _currentLeader;
    private int _running;

    public LeaderElector(IKubernetesClient client, LeaderElectionOptions options, TimeProvider time, ILogger logger)
    {
        options.Validate();
        _client = client;
        _options = options;
        _time = time;
        _logger = logger;
        Identity = options.Identity ?? Environment.MachineName + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    public event EventHandler<LeadershipEventArgs>? StartedLeading;

    public event EventHandler<LeadershipEventArgs>? StoppedLeading;

    public event EventHandler<NewLeaderEventArgs>? NewLeader;

    public string Identity { get; }

    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return _term is not null;
            }
        }
    }

    public string? CurrentLeader
    {
        get
        {
            lock (_gate)
            {
                return _currentLeader;
            }
        }
    }

    /// <summary>Random source of the acquire jitter (tests make it deterministic).</summary>
    internal Func<double> Random { get; set; } = static () => RandomNumberGenerator.GetInt32(1 << 30) / (double)(1 << 30);

    public Task WaitForLeadershipAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _leading.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"Leader elector {Identity} is already running.");
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await AcquireAsync(cancellationToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                BecomeLeader();
                await RenewUntilLostAsync(cancellationToken);
                if (!cancellationToken.IsCancellationRequested)
                {
                    StepDown("renew deadline exceeded");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (IsLeader)
            {
                if (_options.ReleaseOnCancel)
                {
                    await ReleaseAsync();
                }

                StepDown("shutting down");
            }

            Volatile.Write(ref _running, 0);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _term?.Dispose();
        }
    }

    private async Task AcquireAsync(CancellationToken cancellationToken)
    {
        Log.Campaigning(_logger, Identity, _options.LeaseNamespace, _options.LeaseName);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryAcquireOrRenewAsync(cancellationToken))
            {
                return;
            }

            var wait = _options.RetryPeriod + (_options.RetryPeriod * (LeaderElectionOptions.JitterFactor * Random()));
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    private async Task RenewUntilLostAsync(CancellationToken cancellationToken)
    {
        var lastRenew = _time.GetTimestamp();
        while (true)
        {
            await Task.Delay(_options.RetryPeriod, _time, cancellationToken);
            var left = _options.RenewDeadline - _time.GetElapsedTime(lastRenew);
            if (left > TimeSpan.Zero)
            {
                // One attempt may not outlive the deadline.
                using var attempt = new CancellationTokenSource(left, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attempt.Token);
                bool renewed;
                try
                {
                    renewed = await TryAcquireOrRenewAsync(linked.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    renewed = false;
                }

                if (renewed)
                {
                    lastRenew = _time.GetTimestamp();
                    continue;
                }
            }

            if (_time.GetElapsedTime(lastRenew) >= _options.RenewDeadline)
            {
                Log.RenewFailed(_logger, Identity, _options.RenewDeadline);
                return;
            }
        }
    }

    /// <summary>One attempt (client-go tryAcquireOrRenew). False when another candidate holds a valid lease or the write lost a race.</summary>
    internal async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var durationSeconds = (int)_options.LeaseDuration.TotalSeconds;
        try
        {
            var lease = await _client.TryGetAsync(Leases, _options.LeaseNamespace, _options.LeaseName, cancellationToken);
            if (lease is null)
            {
                var fresh = new Lease
                {
                    Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.LeaseNamespace },
                    Spec = new LeaseSpec
                    {
                        HolderIdentity = Identity,
                        LeaseDurationSeconds = durationSeconds,
                        AcquireTime = now,
                        RenewTime = now,
                        LeaseTransitions = 0,
                    },
                };
                Observe(await _client.CreateAsync(Leases, fresh, cancellationToken));
                return true;
            }

            Observe(lease);
            var spec = lease.Spec ?? new LeaseSpec();
            var holder = spec.HolderIdentity;
            var mine = holder == Identity;
            if (!string.IsNullOrEmpty(holder) && !mine && !ObservedExpired(spec))
            {
                return false;
            }

            var acquiring = !mine;
            lease.Spec = new LeaseSpec
            {
                HolderIdentity = Identity,
                LeaseDurationSeconds = durationSeconds,
                AcquireTime = acquiring ? now : spec.AcquireTime ?? now,
                RenewTime = now,
                LeaseTransitions = (spec.LeaseTransitions ?? 0) + (acquiring ? 1 : 0),
                ExtensionData = spec.ExtensionData,
            };
            Observe(await _client.ReplaceAsync(Leases, lease, cancellationToken));
            if (acquiring)
            {
                Log.Acquired(_logger, Identity, holder, lease.Spec.LeaseTransitions ?? 0);
            }

            return true;
        }
        catch (KubernetesApiException ex) when (ex.IsConflict || ex.IsAlreadyExists)
        {
            Log.LostRace(_logger, Identity);
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure is "not acquired/renewed this time"; the loop retries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.AttemptFailed(_logger, Identity, ex);
            return false;
        }
    }

    private bool ObservedExpired(LeaseSpec spec)
    {
        var seconds = spec.LeaseDurationSeconds is > 0 ? spec.LeaseDurationSeconds.Value : _options.LeaseDuration.TotalSeconds;
        long observedAt;
        lock (_gate)
        {
            observedAt = _observedAt;
        }

        return _time.GetElapsedTime(observedAt) >= TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Records the lease as seen now when its record changed (holder, renew time, ...).</summary>
    private void Observe(Lease lease)
    {
        string? newLeader = null;
        var changedLeader = false;
        lock (_gate)
        {
            var s = lease.Spec;
            var o = _observed?.Spec;
            if (o is null || s is null || o.HolderIdentity != s.HolderIdentity || o.RenewTime != s.RenewTime
                || o.AcquireTime != s.AcquireTime || o.LeaseTransitions != s.LeaseTransitions || o.LeaseDurationSeconds != s.LeaseDurationSeconds)
            {
                _observedAt = _time.GetTimestamp();
            }

            _observed = lease;
            var holder = string.IsNullOrEmpty(s?.HolderIdentity) ? null : s.HolderIdentity;
            if (holder != _currentLeader)
            {
                _currentLeader = holder;
                newLeader = holder;
                changedLeader = true;
            }
        }

        if (changedLeader)
        {
            Log.NewLeader(_logger, Identity, newLeader);
            Raise(NewLeader, new NewLeaderEventArgs(newLeader));
        }
    }

    private async Task ReleaseAsync()
    {
        // A renew cancelled on our side may still land on the server after the read below: the
        // write then meets 409 Conflict, and a standby would wait a whole lease duration. Re-read
        // and try again (bounded by the renew deadline).
        using var cts = new CancellationTokenSource(_options.RenewDeadline, _time);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ReleaseOnceAsync(cts.Token);
                return;
            }
            catch (KubernetesApiException ex) when (ex.IsConflict && attempt < 3 && !cts.IsCancellationRequested)
            {
                Log.ReleaseFailed(_logger, Identity, ex);
            }
#pragma warning disable CA1031 // Releasing is best effort: the lease expires anyway.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ReleaseFailed(_logger, Identity, ex);
                return;
            }
        }
    }

    private async Task ReleaseOnceAsync(CancellationToken cancellationToken)
    {
        var lease = await _client.TryGetAsync(Leases, _options.LeaseNamespace, _options.LeaseName, cancellationToken);
        if (lease?.Spec is not { } spec || spec.HolderIdentity != Identity)
        {
            return;
        }

        var now = _time.GetUtcNow();
        lease.Spec = new LeaseSpec
        {
            HolderIdentity = null,
            LeaseDurationSeconds = 1,
            AcquireTime = now,
            RenewTime = now,
            LeaseTransitions = spec.LeaseTransitions,
            ExtensionData = spec.ExtensionData,
        };

        // holderIdentity must be sent as "" to clear it (a null is omitted from the body, and PUT
        // replaces the whole spec, so omitting it clears it too).
        Observe(await _client.ReplaceAsync(Leases, lease, cancellationToken));
        Log.Released(_logger, Identity);
    }

    private void BecomeLeader()
    {
        CancellationTokenSource term;
        lock (_gate)
        {
            term = _term = new CancellationTokenSource();
            _leading.TrySetResult();
        }

        Log.StartedLeading(_logger, Identity);
        Raise(StartedLeading, new LeadershipEventArgs(Identity, term.Token));
    }

    private void StepDown(string why)
    {
        CancellationTokenSource? term;
        lock (_gate)
        {
            term = _term;
            _term = null;
            if (term is null)
            {
                return;
            }

            _leading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Log.StoppedLeading(_logger, Identity, why);
        term.Cancel();
        Raise(StoppedLeading, new LeadershipEventArgs(Identity, term.Token));
        term.Dispose();
    }

    private void Raise<TArgs>(EventHandler<TArgs>? handler, TArgs args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
#pragma warning disable CA1031 // A subscriber's failure must not break the election loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, Identity, ex);
        }
    }
}
