using System.Collections.Concurrent;
using Kuryr.Controller.Handlers;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Controller.Tests.Handlers.Pipeline;

/// <summary>A test handler of ConfigMaps: records every call and can be told what to do per call.</summary>
public sealed class RecordingHandler : IResourceHandler<ConfigMap>
{
    private readonly ConcurrentDictionary<string, int> _running = new();
    private int _maxPerKey;

    public ConcurrentQueue<HandlerCall> Calls { get; } = new();

    /// <summary>Runs inside every call (after it was recorded); may throw or wait.</summary>
    public Func<HandlerCall, CancellationToken, Task>? Behaviour { get; set; }

    public int MaxConcurrencyPerKey => Volatile.Read(ref _maxPerKey);

    public Task OnPresentAsync(ConfigMap obj, CancellationToken cancellationToken) => RecordAsync("present", obj, cancellationToken);

    public Task OnFinalizeAsync(ConfigMap obj, CancellationToken cancellationToken) => RecordAsync("finalize", obj, cancellationToken);

    public Task OnDeletedAsync(ConfigMap obj, CancellationToken cancellationToken) => RecordAsync("deleted", obj, cancellationToken);

    public IReadOnlyList<HandlerCall> For(string name) => [.. Calls.Where(c => c.Name == name)];

    private async Task RecordAsync(string kind, ConfigMap obj, CancellationToken cancellationToken)
    {
        var key = obj.Metadata.Namespace + "/" + obj.Metadata.Name;
        var running = _running.AddOrUpdate(key, 1, (_, n) => n + 1);
        int seen;
        while ((seen = Volatile.Read(ref _maxPerKey)) < running && Interlocked.CompareExchange(ref _maxPerKey, running, seen) != seen)
        {
        }

        try
        {
            var call = new HandlerCall(kind, obj.Metadata.Name!, obj.Metadata.Uid, obj.Metadata.ResourceVersion,
                obj.Data is { } d && d.TryGetValue("v", out var v) ? v : null, DateTimeOffset.UtcNow);
            Calls.Enqueue(call);
            if (Behaviour is { } b)
            {
                await b(call, cancellationToken);
            }
            else
            {
                // Long enough that overlapping calls for one key would show.
                await Task.Delay(5, cancellationToken);
            }
        }
        finally
        {
            _running.AddOrUpdate(key, 0, (_, n) => n - 1);
        }
    }

    public sealed record HandlerCall(string Kind, string Name, string? Uid, string? ResourceVersion, string? Value, DateTimeOffset At);
}
