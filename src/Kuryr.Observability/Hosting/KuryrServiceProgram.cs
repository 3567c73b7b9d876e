using System.CommandLine;
using Kuryr.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Kuryr.Observability.Hosting;

/// <summary>
/// The process of a long-running Kuryr service (kuryr-controller, kuryr-agent):
/// <c>--config-file</c> → kuryr.conf → host → run until SIGTERM/SIGINT. A missing or invalid
/// configuration prints "&lt;name&gt;: invalid configuration:" and the reason on stderr and exits
/// <see cref="ConfigError"/>; another start-up failure exits <see cref="StartError"/>.
/// </summary>
public static class KuryrServiceProgram
{
    /// <summary>Exit code of a missing or invalid configuration.</summary>
    public const int ConfigError = 2;

    /// <summary>Exit code of a start-up failure other than the configuration.</summary>
    public const int StartError = 1;

    /// <summary>
    /// Parses <paramref name="args"/> (<c>--config-file</c>, default <see cref="KuryrConfig.DefaultPath"/>)
    /// and runs <paramref name="run"/>; SIGTERM/SIGINT cancel its token, the process ends at the latest
    /// <paramref name="processTerminationTimeout"/> later.
    /// </summary>
    public static Task<int> InvokeAsync(
        string description,
        string[] args,
        Func<string, CancellationToken, Task<int>> run,
        TimeSpan processTerminationTimeout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(run);
        var configFile = new Option<string>("--config-file")
        {
            Description = "Path of kuryr.conf",
            DefaultValueFactory = _ => KuryrConfig.DefaultPath,
        };
        var root = new RootCommand(description)
        {
            configFile,
        };
        root.SetAction((parse, cancellationToken) => run(parse.GetValue(configFile)!, cancellationToken));
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = processTerminationTimeout });
    }

    /// <summary>
    /// Builds a host from <paramref name="configFile"/> (single-line UTC console logging at Information,
    /// <paramref name="addServices"/> composes it, <paramref name="shutdownTimeout"/> for the hosted
    /// services to stop) and runs it until <paramref name="cancellationToken"/>.
    /// </summary>
    /// <param name="name">The program's name, prefixed to every message on stderr.</param>
    public static async Task<int> RunAsync(
        string name,
        string configFile,
        Action<IServiceCollection, string> addServices,
        TimeSpan shutdownTimeout,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configFile);
        ArgumentNullException.ThrowIfNull(addServices);
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
            addServices(builder.Services, configFile);
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout);
        }
        catch (KuryrConfigException e)
        {
            return await InvalidConfigurationAsync(name, e.Message).ConfigureAwait(false);
        }

        using var host = builder.Build();
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync(name + ": invalid configuration: " + e.Message).ConfigureAwait(false);
            return ConfigError;
        }
        catch (KuryrConfigException e)
        {
            return await InvalidConfigurationAsync(name, e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            await Console.Error.WriteLineAsync(name + ": cannot start: " + e.Message).ConfigureAwait(false);
            return StartError;
        }
    }

    private static async Task<int> InvalidConfigurationAsync(string name, string message)
    {
        await Console.Error.WriteLineAsync(name + ": invalid configuration:").ConfigureAwait(false);
        await Console.Error.WriteLineAsync(message).ConfigureAwait(false);
        return ConfigError;
    }
}
