using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kuryr.LocalCluster.Processes;

/// <summary>
/// A real Kuryr service (<c>dotnet kuryr-controller.dll</c> / <c>kuryr-agent.dll</c>) started with its
/// kuryr.conf, stdout and stderr appended to a log file; stopped with SIGTERM.
/// </summary>
public sealed class KuryrProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();

    private KuryrProcess(string name, Process process, StreamWriter log, string logPath, int healthPort, int metricsPort)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
        Health = new Uri("http://127.0.0.1:" + healthPort.ToString(CultureInfo.InvariantCulture) + "/");
        Metrics = new Uri("http://127.0.0.1:" + metricsPort.ToString(CultureInfo.InvariantCulture) + "/");
    }

    public string Name { get; }

    public string LogPath { get; }

    public Uri Health { get; }

    public Uri Metrics { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>A free TCP port on 127.0.0.1 (released before the process binds it).</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static KuryrProcess Start(string name, string dll, string confPath, string logPath, int healthPort, int metricsPort,
        IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built (dotnet build src/Kuryr.LocalCluster -c Release builds it)", dll);
        }

        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--config-file");
        psi.ArgumentList.Add(confPath);
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var result = new KuryrProcess(name, process, log, logPath, healthPort, metricsPort);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits until GET /ready answers 200; fails when the process exits first.</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready; see {LogPath}");
            }

            try
            {
                using var r = await http.GetAsync(new Uri(Health, "ready"), cancellationToken).ConfigureAwait(false);
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"{Name} not ready within {timeout.TotalSeconds:0} s; see {LogPath}");
    }

    /// <summary>SIGTERM, then waits; SIGKILL after <paramref name="timeout"/>. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        }

        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
