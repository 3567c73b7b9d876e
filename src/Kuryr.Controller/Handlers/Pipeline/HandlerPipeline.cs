using Kuryr.Config.Options;
using Kuryr.Controller.Metrics;
using Kuryr.Kubernetes.Informers;
using Kuryr.Kubernetes.Models;
using Kuryr.Kubernetes.WorkQueue;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Handlers.Pipeline;

/// <summary>The <see cref="IHandlerPipeline"/>: enabled handlers, their shared informers and their runners.</summary>
internal sealed partial class HandlerPipeline : IHandlerPipeline, IDisposable
{
    private readonly List<IHandlerRunner> _runners = [];
    private readonly Dictionary<string, object> _informers = new(StringComparer.Ordinal);
    private readonly List<Func<CancellationToken, Task>> _informerRuns = [];
    private readonly List<Func<CancellationToken, Task>> _informerSyncs = [];
    private readonly List<Func<bool>> _informerSynced = [];
    private readonly ILogger<HandlerPipeline> _logger;
    private int _runningInformers;
    private volatile bool _informerFailed;

    public HandlerPipeline(
        IEnumerable<HandlerRegistration> registrations,
        IOptions<KubernetesOptions> kubernetes,
        IOptions<HandlerPipelineOptions> options,
        IInformerFactory informers,
        IWorkQueueFactory queues,
        IServiceProvider services,
        TimeProvider time,
        ControllerMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        _logger = loggerFactory.CreateLogger<HandlerPipeline>();
        var o = options.Value;
        o.Validate();
        var k = kubernetes.Value;
        var (run, ignored) = EnabledHandlers.Resolve(k.EnabledHandlers, registrations);
        foreach (var name in ignored)
        {
            LogHandlerIgnored(_logger, name);
        }

        var builder = new RunnerBuilder(this, informers, queues, services, time, metrics, loggerFactory.CreateLogger("Kuryr.Controller.Handlers"),
            new WorkQueueOptions { BaseDelay = o.RetryBaseDelay, MaxDelay = o.RetryMaxDelay }, k.HandlerWorkers, o.WatchNamespace, k.WatchReconcilePeriod);
        foreach (var registration in run)
        {
            _runners.Add(registration.Accept(builder));
            LogHandlerEnabled(_logger, registration.Name, registration.ResourceName, k.HandlerWorkers);
        }

        Handlers = [.. run.Select(r => r.Name).Distinct(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Handlers { get; }

    public bool HasSynced => _informerSynced.TrueForAll(s => s());

    public bool InformersRunning => (_informerRuns.Count == 0 || Volatile.Read(ref _runningInformers) > 0) && !_informerFailed;

    public async Task RunInformersAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runningInformers);
        try
        {
            await Task.WhenAll(_informerRuns.Select(r => RunOneAsync(r, cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _runningInformers);
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_informerSyncs.Select(s => s(cancellationToken)));

    public Task RunWorkersAsync(CancellationToken term) =>
        Task.WhenAll(_runners.Select(r => r.RunWorkersAsync(term)));

    public IReadOnlyList<HandlerActivity> GetActivity() => [.. _runners.Select(r => r.GetActivity())];

    public void Dispose()
    {
        foreach (var runner in _runners)
        {
            runner.Dispose();
        }
    }

    private async Task RunOneAsync(Func<CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await run(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _informerFailed = true;
            LogInformerFailed(_logger, e);
            throw;
        }
    }

    private IInformer<T> InformerFor<T>(ResourceType<T> resource, IInformerFactory factory, string? watchNamespace, TimeSpan resync)
        where T : KubernetesObject
    {
        var id = resource.ApiVersion + "/" + resource.Plural;
        if (_informers.TryGetValue(id, out var existing))
        {
            return existing as IInformer<T>
                ?? throw new InvalidOperationException($"handlers of {id} use different model types ({existing.GetType().Name} and {typeof(T).Name}); use one.");
        }

        var informer = factory.Create(resource, new InformerOptions<T> { Namespace = watchNamespace, ResyncPeriod = resync });
        _informers[id] = informer;
        _informerRuns.Add(informer.RunAsync);
        _informerSyncs.Add(informer.WaitForSyncAsync);
        _informerSynced.Add(() => informer.HasSynced);
        return informer;
    }

    private sealed class RunnerBuilder(
        HandlerPipeline pipeline,
        IInformerFactory informers,
        IWorkQueueFactory queues,
        IServiceProvider services,
        TimeProvider time,
        ControllerMetrics metrics,
        ILogger logger,
        WorkQueueOptions queueOptions,
        int workers,
        string? watchNamespace,
        TimeSpan resync) : IHandlerRegistrationVisitor<IHandlerRunner>
    {
        public IHandlerRunner Visit<T>(HandlerRegistration<T> registration)
            where T : KubernetesObject
        {
            var informer = pipeline.InformerFor(registration.Resource, informers, watchNamespace, resync);
            var handler = registration.Factory(services);
            var queue = queues.Create<string>(registration.Name, queueOptions);
            return new HandlerRunner<T>(registration.Name, handler, informer, queue, workers, time, metrics, logger);
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "[kubernetes] enabled_handlers: Kuryr's handler {Handler} is not implemented by Kuryr.Node and is ignored")]
    private static partial void LogHandlerIgnored(ILogger logger, string handler);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Handler {Handler} enabled on {Resource} ({Workers} workers)")]
    private static partial void LogHandlerEnabled(ILogger logger, string handler, string resource, int workers);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "An informer of the handler pipeline stopped with an error")]
    private static partial void LogInformerFailed(ILogger logger, Exception exception);
}
