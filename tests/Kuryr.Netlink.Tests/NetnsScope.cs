using System.Diagnostics;
using System.Text.Json;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl;

namespace Kuryr.Netlink.Tests;

/// <summary>
/// Per-test namespaces (unique names, prefix kn-test-) and clients; everything is deleted in
/// DisposeAsync, so a failing test leaves nothing behind.
/// </summary>
public sealed class NetnsScope : IAsyncDisposable
{
    private readonly List<string> _names = [];
    private readonly List<IDisposable> _disposables = [];
    private readonly NetnsRunner _runner;

    public NetnsScope(int runnerThreads = 4)
    {
        _runner = new NetnsRunner(workerCount: runnerThreads);
        Runner = _runner;
        Factory = new RtNetlinkFactory(_runner);
    }

    internal NetnsRunner Runner { get; }

    public IRtNetlinkFactory Factory { get; }

    public static string UniqueName(string tag = "") => $"kn-test-{tag}{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Short unique interface name (IFNAMSIZ is 16).</summary>
    public static string LinkName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..6];

    /// <summary>A unique name that DisposeAsync deletes if the test leaves it behind.</summary>
    public string ReserveName(string tag = "")
    {
        string name = UniqueName(tag);
        lock (_names)
        {
            _names.Add(name);
        }

        return name;
    }

    public async Task<NetworkNamespace> CreateAsync(string tag = "")
    {
        string name = ReserveName(tag);

        NetworkNamespace ns = await Runner.CreateNamedAsync(name);
        Track(ns);
        return ns;
    }

    public async Task<IRtNetlink> OpenAsync(NetworkNamespace ns)
    {
        IRtNetlink client = await Factory.OpenAsync(ns);
        Track(client);
        return client;
    }

    public T Track<T>(T disposable)
        where T : IDisposable
    {
        lock (_disposables)
        {
            _disposables.Add(disposable);
        }

        return disposable;
    }

    /// <summary>Runs a command and returns stdout; throws with stderr when it fails.</summary>
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {await stderr}{await stdout}");
        }

        return await stdout;
    }

    /// <summary>`ip -n NS -d -j link show dev NAME` — iproute2's own view, the independent oracle.</summary>
    public static async Task<JsonElement> IpLinkShowAsync(NetworkNamespace ns, string name)
    {
        string json = await RunAsync("ip", "-n", ns.Name!, "-d", "-j", "link", "show", "dev", name);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement[0].Clone();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_disposables)
        {
            foreach (IDisposable d in _disposables)
            {
                d.Dispose();
            }

            _disposables.Clear();
        }

        foreach (string name in _names)
        {
            try
            {
                Runner.DeleteNamed(name);
            }
            catch (NetworkNamespaceException)
            {
                // best effort; the next line shows it in `ip netns` if it stays
            }
        }

        _runner.Dispose();
        await Task.CompletedTask;
    }
}
