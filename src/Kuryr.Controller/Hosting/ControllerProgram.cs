using Kuryr.Observability.Hosting;

namespace Kuryr.Controller.Hosting;

/// <summary>The process: kuryr.conf → host → run until SIGTERM/SIGINT (<see cref="KuryrServiceProgram"/>).</summary>
public static class ControllerProgram
{
    /// <summary>Exit code of a missing or invalid configuration.</summary>
    public const int ConfigError = KuryrServiceProgram.ConfigError;

    /// <summary>Exit code of a start-up failure other than the configuration.</summary>
    public const int StartError = KuryrServiceProgram.StartError;

    public static Task<int> RunAsync(string configFile, CancellationToken cancellationToken) =>
        KuryrServiceProgram.RunAsync(
            "kuryr-controller",
            configFile,
            (services, file) => services.AddKuryrController(file),
            TimeSpan.FromSeconds(30),
            cancellationToken);
}
