using System.Text.Json.Nodes;
using Kuryr.Config.Options;
using Kuryr.Controller.Handlers;
using Kuryr.Controller.Handlers.Pipeline;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Tests.Handlers.Pipeline;

/// <summary>The pipeline with one test handler on ConfigMaps of one fresh namespace, on the real API server.</summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _informers;
    private CancellationTokenSource? _term;
    private Task? _workers;

    private PipelineHarness(ServiceProvider provider, string ns, RecordingHandler handler)
    {
        _provider = provider;
        Namespace = ns;
        Handler = handler;
        Pipeline = provider.GetRequiredService<IHandlerPipeline>();
        Api = provider.GetRequiredService<IKubernetesClient>();
        _informers = Pipeline.RunInformersAsync(_stop.Token);
    }

    public string Namespace { get; }

    public RecordingHandler Handler { get; }

    public IHandlerPipeline Pipeline { get; }

    public IKubernetesClient Api { get; }

    public IServiceProvider Services => _provider;

    public static async Task<PipelineHarness> StartAsync(KubeTestBed bed, string prefix, int workers = 4, bool lead = true, string handlerName = "vif")
    {
        var ns = await bed.CreateNamespaceAsync(prefix);
        var handler = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new KubernetesOptions { EnabledHandlers = [handlerName, "endpoints"], HandlerWorkers = workers }));
        services.AddKubernetesClient(o =>
        {
            o.KubeConfig = bed.KubeConfigPath;
            o.Qps = 1000;
            o.Burst = 1000;
        });
        services.AddResourceHandler<ConfigMap, RecordingHandler>(handlerName, KubernetesResources.ConfigMaps);
        services.AddSingleton(handler); // after AddResourceHandler: the last registration wins

        services.AddKuryrHandlerPipeline(o =>
        {
            o.WatchNamespace = ns;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
            o.RetryMaxDelay = TimeSpan.FromSeconds(1);
        });
        var harness = new PipelineHarness(services.BuildServiceProvider(), ns, handler);
        await harness.Pipeline.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        if (lead)
        {
            harness.StartLeading();
        }

        return harness;
    }

    public void StartLeading()
    {
        _term = new CancellationTokenSource();
        _workers = Pipeline.RunWorkersAsync(_term.Token);
    }

    public async Task StopLeadingAsync()
    {
        if (_term is null || _workers is null)
        {
            return;
        }

        await _term.CancelAsync();
        await _workers.WaitAsync(TimeSpan.FromSeconds(10));
        _term.Dispose();
        _term = null;
        _workers = null;
    }

    public Task<ConfigMap> CreateAsync(string name, string value, params string[] finalizers) =>
        Api.CreateAsync(KubernetesResources.ConfigMaps, new ConfigMap
        {
            Metadata = new ObjectMeta { Name = name, Namespace = Namespace, Finalizers = finalizers.Length == 0 ? null : [.. finalizers] },
            Data = new Dictionary<string, string> { ["v"] = value },
        });

    public Task<ConfigMap> SetAsync(string name, string value) =>
        Api.PatchAsync(KubernetesResources.ConfigMaps, Namespace, name, KubernetesPatch.Merge(new JsonObject { ["data"] = new JsonObject { ["v"] = value } }));

    public Task DeleteAsync(string name) =>
        Api.DeleteAsync(KubernetesResources.ConfigMaps, Namespace, name, new DeleteOptions { GracePeriodSeconds = 0 });

    /// <summary>Polls until <paramref name="condition"/> holds (fails after <paramref name="seconds"/>).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("timed out waiting for " + what);
            }

            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopLeadingAsync();
        await _stop.CancelAsync();
        try
        {
            await _informers.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        // Leave nothing behind: drop finalizers and delete what the test created.
        foreach (var cm in (await Api.ListAsync(KubernetesResources.ConfigMaps, Namespace)).Items)
        {
            if (cm.Metadata.Finalizers is { Count: > 0 })
            {
                await Api.PatchAsync(KubernetesResources.ConfigMaps, Namespace, cm.Metadata.Name!, KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }));
            }

            await Api.DeleteAsync(KubernetesResources.ConfigMaps, Namespace, cm.Metadata.Name!, new DeleteOptions { GracePeriodSeconds = 0 });
        }

        await _provider.DisposeAsync();
        _stop.Dispose();
    }
}
