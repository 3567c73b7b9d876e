using Kuryr.Config;
using Kuryr.Controller.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kuryr.Testing.Controller;

/// <summary>kuryr-controller in the test process: the real composition root from a kuryr.conf text, started.</summary>
public sealed class ControllerHost : IAsyncDisposable
{
    private ControllerHost(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    /// <summary>Where /ready, /alive and /metrics answer (ports resolved).</summary>
    public ControllerEndpoints Endpoints => Host.Services.GetRequiredService<ControllerEndpoints>();

    /// <summary>Builds and starts the controller; <paramref name="overrides"/> runs after the composition (replace services there).</summary>
    public static async Task<ControllerHost> StartAsync(string kuryrConf, Action<IServiceCollection>? overrides = null, CancellationToken cancellationToken = default)
    {
        var configuration = new ConfigurationBuilder().AddKuryrIniText(kuryrConf).Build();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKuryrController(configuration);
        overrides?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new ControllerHost(host);
    }

    /// <summary>Clean stop (drain, release the Lease).</summary>
    public async Task StopAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Host.StopAsync(cts.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (Host is IAsyncDisposable d)
        {
            await d.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            Host.Dispose();
        }
    }
}
