using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kuryr.Testing.Hosting;

namespace Kuryr.Testing.Controller;

/// <summary>
/// The real built kuryr-controller (<c>dotnet kuryr-controller.dll --config-file ...</c>) with a
/// generated kuryr.conf; captures its output; <see cref="Kill"/> (SIGKILL: no Lease release) or
/// <see cref="StopAsync"/> (SIGTERM: clean shutdown).
/// </summary>
public sealed class ControllerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _confPath;
    private readonly ConcurrentQueue<string> _output = new();

    private ControllerProcess(Process process, string confPath, string identity, int healthPort, int metricsPort)
    {
        _process = process;
        _confPath = confPath;
        Identity = identity;
        Health = new Uri("http://127.0.0.1:" + healthPort.ToString(CultureInfo.InvariantCulture) + "/");
        Metrics = new Uri("http://127.0.0.1:" + metricsPort.ToString(CultureInfo.InvariantCulture) + "/");
    }

    /// <summary>The Lease holderIdentity (POD_NAME given to the process).</summary>
    public string Identity { get; }

    public Uri Health { get; }

    public Uri Metrics { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything written to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The built kuryr-controller.dll (Release, else Debug) of this repository.</summary>
    public static string DllPath() => BuiltApp.DllPath("Kuryr.Controller", "kuryr-controller.dll");

    /// <summary>A free TCP port on 127.0.0.1 (released before the controller binds it).</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Starts a controller; ports 0 in <paramref name="conf"/> are replaced by free ports.</summary>
    public static ControllerProcess Start(ControllerConf conf, string identity)
    {
        ArgumentNullException.ThrowIfNull(conf);
        var health = conf.HealthPort == 0 ? FreePort() : conf.HealthPort;
        var metrics = conf.MetricsPort == 0 ? FreePort() : conf.MetricsPort;
        var path = Path.Combine(Path.GetTempPath(), "kuryr-controller-" + identity + "-" + Guid.NewGuid().ToString("N")[..8] + ".conf");
        File.WriteAllText(path, (conf with { HealthPort = health, MetricsPort = metrics }).ToIni());
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(DllPath());
        psi.ArgumentList.Add("--config-file");
        psi.ArgumentList.Add(path);
        psi.Environment["POD_NAME"] = identity;
        if (conf.WatchNamespace is not null)
        {
            psi.Environment["KURYR_WATCH_NAMESPACE"] = conf.WatchNamespace;
        }
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var result = new ControllerProcess(process, path, identity, health, metrics);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>SIGKILL: the process dies at once, the Lease is not released.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, then waits for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(40));
        await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        _process.Dispose();
        File.Delete(_confPath);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
