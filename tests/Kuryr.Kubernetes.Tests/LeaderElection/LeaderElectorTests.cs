using System.Collections.Concurrent;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.LeaderElection;
using Kuryr.Kubernetes.Models;
using Kuryr.Kubernetes.Tests.Informers;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Kubernetes.Tests.LeaderElection;

/// <summary>Two candidates against the real kube-apiserver, one fresh namespace (and Lease) per test.</summary>
public sealed class LeaderElectorTests(KubeTestBed bed) : IClassFixture<KubeTestBed>, IDisposable
{
    private readonly IKubernetesClient _api = KubeClients.Create(bed);

    public void Dispose() => _api.Dispose();

    private static LeaderElectionOptions Short(string ns, string identity, int leaseSeconds = 3, int renewDeadlineSeconds = 2) => new()
    {
        LeaseNamespace = ns,
        LeaseName = "kuryr-controller",
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(leaseSeconds),
        RenewDeadline = TimeSpan.FromSeconds(renewDeadlineSeconds),
        RetryPeriod = TimeSpan.FromSeconds(0.5),
    };

    private LeaderElector Candidate(LeaderElectionOptions options, IKubernetesClient? client = null) =>
        new(client ?? _api, options, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task Of_two_candidates_exactly_one_leads_and_a_clean_stop_hands_over_at_once()
    {
        var ns = await bed.CreateNamespaceAsync("le-clean");

        // A long lease: without the release on shutdown the takeover would need 60 s. A long renew
        // deadline too: a 2 s one can run out on a loaded API server and end the term early, which is
        // not what this test is about.
        using var a = Candidate(Short(ns, "a", leaseSeconds: 60, renewDeadlineSeconds: 40));
        using var b = Candidate(Short(ns, "b", leaseSeconds: 60, renewDeadlineSeconds: 40));
        var log = new ConcurrentQueue<string>();
        foreach (var c in new[] { a, b })
        {
            c.StartedLeading += (_, e) => log.Enqueue("start " + e.Identity);
            c.StoppedLeading += (_, e) => log.Enqueue("stop " + e.Identity + (e.Term.IsCancellationRequested ? " (term cancelled)" : ""));
        }

        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        var first = await Task.WhenAny(a.WaitForLeadershipAsync(), b.WaitForLeadershipAsync());
        await first;
        var runB = b.RunAsync(stopB.Token);

        // Several retry periods pass: still exactly one leader, and the Lease names it.
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(250);
            Assert.True(a.IsLeader ^ b.IsLeader, $"a={a.IsLeader} b={b.IsLeader}");
        }

        var (leader, stopLeader, runLeader, other) = a.IsLeader ? (a, stopA, runA, b) : (b, stopB, runB, a);
        var lease = await _api.GetAsync(KubernetesResources.Leases, ns, "kuryr-controller");
        Assert.Equal(leader.Identity, lease.Spec!.HolderIdentity);
        Assert.Equal(60, lease.Spec.LeaseDurationSeconds);
        Assert.NotNull(lease.Spec.AcquireTime);
        Assert.True(lease.Spec.RenewTime >= lease.Spec.AcquireTime);
        await Eventually.TrueAsync(() => other.CurrentLeader == leader.Identity, "the standby observed the leader");
        var transitions = lease.Spec.LeaseTransitions ?? 0;

        await stopLeader.CancelAsync();
        await runLeader;
        Assert.False(leader.IsLeader);
        await other.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(30));

        lease = await _api.GetAsync(KubernetesResources.Leases, ns, "kuryr-controller");
        Assert.Equal(other.Identity, lease.Spec!.HolderIdentity);
        Assert.True(lease.Spec.LeaseTransitions > transitions, $"transitions {lease.Spec.LeaseTransitions} after {transitions}");
        Assert.Equal(["start " + leader.Identity, "stop " + leader.Identity + " (term cancelled)", "start " + other.Identity], log.ToArray());

        await (other == a ? stopA : stopB).CancelAsync();
        await (other == a ? runA : runB);
        lease = await _api.GetAsync(KubernetesResources.Leases, ns, "kuryr-controller");
        Assert.Null(lease.Spec!.HolderIdentity);
    }

    [Fact]
    public async Task A_crashed_leader_that_never_released_is_replaced_after_the_lease_expires()
    {
        var ns = await bed.CreateNamespaceAsync("le-crash");
        var crashing = Short(ns, "crashing");
        crashing.ReleaseOnCancel = false; // a crash: nothing is written on the way out
        using var a = Candidate(crashing);
        using var stopA = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await a.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(30));

        using var b = Candidate(Short(ns, "standby"));
        using var stopB = new CancellationTokenSource();
        var runB = b.RunAsync(stopB.Token);
        await Eventually.TrueAsync(() => b.CurrentLeader == "crashing", "standby sees the leader");

        await stopA.CancelAsync();
        await runA;
        var lease = await _api.GetAsync(KubernetesResources.Leases, ns, "kuryr-controller");
        Assert.Equal("crashing", lease.Spec!.HolderIdentity);

        // lease duration (3 s) + retry period: "eventually" with a generous bound.
        await b.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(30));
        lease = await _api.GetAsync(KubernetesResources.Leases, ns, "kuryr-controller");
        Assert.Equal("standby", lease.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);

        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task A_leader_that_cannot_renew_steps_down_and_the_other_takes_over()
    {
        var ns = await bed.CreateNamespaceAsync("le-cut");
        await using var proxy = new TcpCutProxy(bed.Server);
        using var cutClient = KubeClients.Create(bed, proxy);
        var opts = Short(ns, "isolated");
        opts.ReleaseOnCancel = false;
        using var a = Candidate(opts, cutClient);
        var stopped = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.StoppedLeading += (_, e) => stopped.TrySetResult(e.Term);
        CancellationToken term = default;
        a.StartedLeading += (_, e) => term = e.Term;
        using var stopA = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await a.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(30));

        using var b = Candidate(Short(ns, "healthy"));
        using var stopB = new CancellationTokenSource();
        var runB = b.RunAsync(stopB.Token);

        // The leader loses the API server.
        proxy.Blocked = true;
        proxy.DropAll();
        var endedTerm = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(a.IsLeader);
        Assert.True(endedTerm.IsCancellationRequested);
        Assert.True(term.IsCancellationRequested);

        await b.WaitForLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(a.IsLeader);

        // Back online, the old leader stays a standby.
        proxy.Blocked = false;
        await Eventually.TrueAsync(() => a.CurrentLeader == "healthy", "the old leader sees the new one");
        Assert.False(a.IsLeader);
        Assert.True(b.IsLeader);

        await stopA.CancelAsync();
        await stopB.CancelAsync();
        await Task.WhenAll(runA, runB);
    }

    [Fact]
    public void Options_are_checked_and_errors_name_the_field()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), new LeaderElectionOptions().LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), new LeaderElectionOptions().RenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(2), new LeaderElectionOptions().RetryPeriod);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Candidate(new LeaderElectionOptions { RenewDeadline = TimeSpan.FromSeconds(20) }));
        Assert.Contains("LeaseDuration", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => Candidate(new LeaderElectionOptions { RetryPeriod = TimeSpan.FromSeconds(9) }));
        Assert.Contains("RenewDeadline", ex.Message, StringComparison.Ordinal);
        var ex2 = Assert.Throws<ArgumentException>(() => Candidate(new LeaderElectionOptions { LeaseName = " " }));
        Assert.Contains("LeaseName", ex2.Message, StringComparison.Ordinal);
    }
}
