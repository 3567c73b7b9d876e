using Kuryr.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Kuryr.Controller.Hosting;

/// <summary>The process: kuryr.conf → host → run until SIGTERM/SIGINT.</summary>
public static class ControllerProgram
{
    /// <summary>Exit code of a missing or invalid configuration.</summary>
    public const int ConfigError = 2;

    /// <summary>Exit code of a start-up failure other than the configuration.</summary>
    public const int StartError = 1;

    public static async Task<int> RunAsync(string configFile, CancellationToken cancellationToken)
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
            builder.Services.AddKuryrController(configFile);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        }
        catch (KuryrConfigException e)
        {
            await Console.Error.WriteLineAsync("kuryr-controller: invalid configuration:").ConfigureAwait(false);
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
            await Console.Error.WriteLineAsync("kuryr-controller: invalid configuration: " + e.Message).ConfigureAwait(false);
            return ConfigError;
        }
        catch (KuryrConfigException e)
        {
            await Console.Error.WriteLineAsync("kuryr-controller: invalid configuration:").ConfigureAwait(false);
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ConfigError;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            await Console.Error.WriteLineAsync("kuryr-controller: cannot start: " + e.Message).ConfigureAwait(false);
            return StartError;
        }
    }
}
