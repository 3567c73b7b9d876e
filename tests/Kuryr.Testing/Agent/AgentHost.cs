using Kuryr.Agent.Hosting;
using Kuryr.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kuryr.Testing.Agent;

/// <summary>kuryr-agent in the test process: the real composition root from a kuryr.conf text, started.</summary>
public sealed class AgentHost : IAsyncDisposable
{
    private AgentHost(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    /// <summary>Where /ready, /alive and /metrics answer (ports resolved).</summary>
    public AgentEndpoints Endpoints => Host.Services.GetRequiredService<AgentEndpoints>();

    /// <summary>Builds and starts the agent for <paramref name="nodeName"/>; <paramref name="overrides"/> runs before the composition (its registrations win over TryAdd ones).</summary>
    public static async Task<AgentHost> StartAsync(string kuryrConf, string nodeName, Action<IServiceCollection>? overrides = null, CancellationToken cancellationToken = default)
    {
        var configuration = new ConfigurationBuilder().AddKuryrIniText(kuryrConf).Build();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        overrides?.Invoke(builder.Services);
        builder.Services.AddKuryrAgent(configuration, nodeName);
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new AgentHost(host);
    }

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
