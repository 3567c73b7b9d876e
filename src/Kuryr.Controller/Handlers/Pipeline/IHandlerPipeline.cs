namespace Kuryr.Controller.Handlers.Pipeline;

/// <summary>
/// Runs the enabled handlers (Kuryr's ControllerPipeline): one shared informer per watched resource,
/// per handler a rate-limited work queue of <c>namespace/name</c> keys and
/// <c>[kubernetes] handler_workers</c> workers. Informers run all the time (a standby keeps its caches
/// warm); workers run only during a leadership term (<see cref="RunWorkersAsync"/>).
/// </summary>
public interface IHandlerPipeline
{
    /// <summary>The handlers that run (enabled and registered), in <c>enabled_handlers</c> order.</summary>
    IReadOnlyList<string> Handlers { get; }

    /// <summary>True once every informer has listed its resource.</summary>
    bool HasSynced { get; }

    /// <summary>True while <see cref="RunInformersAsync"/> runs and none of its informers has failed.</summary>
    bool InformersRunning { get; }

    /// <summary>Runs every informer until <paramref name="cancellationToken"/> fires.</summary>
    Task RunInformersAsync(CancellationToken cancellationToken);

    /// <summary>Completes when every informer has synced.</summary>
    Task WaitForSyncAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One leadership term: queues every cached key (and every deletion seen meanwhile) for every
    /// handler, then runs the workers until <paramref name="term"/> is cancelled. A key being handled
    /// when the term ends stays queued for the next term.
    /// </summary>
    Task RunWorkersAsync(CancellationToken term);

    /// <summary>What each handler is doing now (liveness, diagnostics).</summary>
    IReadOnlyList<HandlerActivity> GetActivity();
}

/// <summary>One handler's state.</summary>
/// <param name="Name">Kuryr's handler name.</param>
/// <param name="Resource">The watched resource (plural).</param>
/// <param name="Queued">Keys waiting in the handler's queue.</param>
/// <param name="InProgress">Events being handled now.</param>
/// <param name="LongestInProgress">How long the oldest event being handled has run (zero when idle).</param>
/// <param name="OldestKey">The key of that event.</param>
public sealed record HandlerActivity(string Name, string Resource, int Queued, int InProgress, TimeSpan LongestInProgress, string? OldestKey);

/// <summary>Pipeline knobs that are not in kuryr.conf (retry backoff; a namespace restriction for tests).</summary>
public sealed class HandlerPipelineOptions
{
    /// <summary>First retry delay of a failed or not-ready event; doubles per failure (Kuryr's Retry: 2^n s).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the retry delay (Kuryr's Retry: 60 s).</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Watch only this namespace (tests); null watches every namespace.</summary>
    public string? WatchNamespace { get; set; }

    internal void Validate()
    {
        if (RetryBaseDelay <= TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryMaxDelay), RetryMaxDelay,
                $"{nameof(HandlerPipelineOptions)}.{nameof(RetryBaseDelay)} must be positive and {nameof(RetryMaxDelay)} at least as large.");
        }
    }
}
