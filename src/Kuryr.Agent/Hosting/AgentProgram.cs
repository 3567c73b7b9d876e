using Kuryr.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Kuryr.Agent.Hosting;

/// <summary>The process: kuryr.conf → host → run until SIGTERM/SIGINT.</summary>
public static class AgentProgram
{
    /// <summary>Exit code of a missing or invalid configuration.</summary>
    public const int ConfigError = 2;

    /// <summary>Exit code of a start-up failure other than the configuration (e.g. another agent holds the socket).</summary>
    public const int StartError = 1;

    public static async Task<int> RunAsync(string configFile, Action<IServiceCollection>? compose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configFile);
        HostApplicationBuilder builder;
        try
        {
            if (!File.Exists(configFile))
            {
                throw new KuryrConfigException($"{configFile}: configuration file not found (--config-file)");
            }

            builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Services.AddKuryrAgent(configFile);
            compose?.Invoke(builder.Services);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        }
        catch (KuryrConfigException e)
        {
            await Console.Error.WriteLineAsync("kuryr-agent: invalid configuration:").ConfigureAwait(false);
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ConfigError;
        }

        using var host = builder.Build();
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("kuryr-agent: invalid configuration: " + e.Message).ConfigureAwait(false);
            return ConfigError;
        }
        catch (KuryrConfigException e)
        {
            await Console.Error.WriteLineAsync("kuryr-agent: invalid configuration:").ConfigureAwait(false);
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ConfigError;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            await Console.Error.WriteLineAsync("kuryr-agent: cannot start: " + e.Message).ConfigureAwait(false);
            return StartError;
        }
    }
}
