using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Kuryr.Testing.Controller;
using Kuryr.Testing.Hosting;

namespace Kuryr.Testing.Agent;

/// <summary>
/// The real built kuryr-agent (<c>dotnet kuryr-agent.dll --config-file ...</c>) for one node
/// (<c>KUBERNETES_NODE_NAME</c>), with a generated kuryr.conf; captures its output;
/// <see cref="Kill"/> (SIGKILL) or <see cref="StopAsync"/> (SIGTERM: clean shutdown).
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _confPath;
    private readonly ConcurrentQueue<string> _output = new();

    private AgentProcess(Process process, string confPath, AgentConf conf, int healthPort, int metricsPort)
    {
        _process = process;
        _confPath = confPath;
        Conf = conf;
        Health = new Uri("http://127.0.0.1:" + healthPort.ToString(CultureInfo.InvariantCulture) + "/");
        Metrics = new Uri("http://127.0.0.1:" + metricsPort.ToString(CultureInfo.InvariantCulture) + "/");
    }

    public AgentConf Conf { get; }

    public Uri Health { get; }

    public Uri Metrics { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything written to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The built kuryr-agent.dll (Release, else Debug) of this repository.</summary>
    public static string DllPath() => BuiltApp.DllPath("Kuryr.Agent", "kuryr-agent.dll");

    /// <summary>Starts an agent for <paramref name="nodeName"/>; ports 0 in <paramref name="conf"/> are replaced by free ports.</summary>
    public static AgentProcess Start(AgentConf conf, string nodeName, string? rawConf = null)
    {
        ArgumentNullException.ThrowIfNull(conf);
        var health = conf.HealthPort == 0 ? ControllerProcess.FreePort() : conf.HealthPort;
        var metrics = conf.MetricsPort == 0 ? ControllerProcess.FreePort() : conf.MetricsPort;
        conf = conf with { HealthPort = health, MetricsPort = metrics };
        Directory.CreateDirectory(conf.Directory);
        var confPath = Path.Combine(conf.Directory, "kuryr.conf");
        File.WriteAllText(confPath, rawConf ?? conf.ToIni());
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(DllPath());
        psi.ArgumentList.Add("--config-file");
        psi.ArgumentList.Add(confPath);
        psi.Environment["KUBERNETES_NODE_NAME"] = nodeName;
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var agent = new AgentProcess(process, confPath, conf, health, metrics);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { agent._output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { agent._output.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>Waits until GET <c>/ready</c> answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"kuryr-agent exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var r = await http.GetAsync(new Uri(Health, "ready")).ConfigureAwait(false);
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"kuryr-agent not ready within {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM and wait for the exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to exit by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        if (File.Exists(_confPath))
        {
            File.Delete(_confPath);
        }
    }
}
