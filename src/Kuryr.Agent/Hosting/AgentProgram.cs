using Kuryr.Observability.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Agent.Hosting;

/// <summary>The process: kuryr.conf → host → run until SIGTERM/SIGINT (<see cref="KuryrServiceProgram"/>).</summary>
public static class AgentProgram
{
    /// <summary>Exit code of a missing or invalid configuration.</summary>
    public const int ConfigError = KuryrServiceProgram.ConfigError;

    /// <summary>Exit code of a start-up failure other than the configuration (e.g. another agent holds the socket).</summary>
    public const int StartError = KuryrServiceProgram.StartError;

    public static Task<int> RunAsync(string configFile, Action<IServiceCollection>? compose, CancellationToken cancellationToken) =>
        KuryrServiceProgram.RunAsync(
            "kuryr-agent",
            configFile,
            (services, file) =>
            {
                services.AddKuryrAgent(file);
                compose?.Invoke(services);
            },
            TimeSpan.FromSeconds(20),
            cancellationToken);
}
