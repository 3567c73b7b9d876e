using System.Collections.Concurrent;

namespace Kuryr.Agent.Cni;

/// <summary>The CNI requests in progress and since when (for /alive), and whether the socket listens (for /ready).</summary>
public sealed class CniActivity(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, (string What, long Started)> _running = new();
    private long _next;

    /// <summary>True while the CNI socket accepts requests.</summary>
    public bool Listening { get; internal set; }

    /// <summary>Where the socket is.</summary>
    public string? SocketPath { get; internal set; }

    /// <summary>Marks a request started; dispose the result when it ends.</summary>
    public IDisposable Start(string what)
    {
        var id = Interlocked.Increment(ref _next);
        _running[id] = (what, time.GetTimestamp());
        return new End(this, id);
    }

    /// <summary>The longest-running request, or null when idle.</summary>
    public (string What, TimeSpan Running)? Oldest()
    {
        (string What, TimeSpan Running)? oldest = null;
        foreach (var (what, started) in _running.Values)
        {
            var running = time.GetElapsedTime(started);
            if (oldest is null || running > oldest.Value.Running)
            {
                oldest = (what, running);
            }
        }

        return oldest;
    }

    private sealed class End(CniActivity owner, long id) : IDisposable
    {
        public void Dispose() => owner._running.TryRemove(id, out _);
    }
}
