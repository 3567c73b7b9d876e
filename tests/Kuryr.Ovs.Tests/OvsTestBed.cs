using System.Diagnostics;
using Kuryr.Ovs.Ovsdb;
using Kuryr.Ovs.Ports;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuryr.Ovs.Tests;

/// <summary>
/// xunit fixture: the test bed's real ovsdb-server + ovs-vswitchd (userspace datapath) and its
/// bridge. Hands out clients on the real socket and runs ovs-vsctl / ip as independent oracles.
/// </summary>
public sealed class OvsTestBed : IAsyncLifetime
{
    public string Db { get; private set; } = "";

    public string Bridge { get; private set; } = "";

    public string RunDir { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var env = await TestBedEnvironment.EnsureAsync("ovs");
        Db = env["OVS_DB"];
        Bridge = env["OVS_BRIDGE"];
        RunDir = env["OVS_RUNDIR"];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    internal OvsdbOptions Options(Action<OvsdbOptions>? tweak = null)
    {
        var o = new OvsdbOptions { Connection = Db, RequestTimeout = TimeSpan.FromSeconds(20) };
        tweak?.Invoke(o);
        return o;
    }

    internal OvsdbClient NewDbClient(OvsdbOptions? options = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? Options()), TimeProvider.System, NullLogger<OvsdbClient>.Instance);

    internal OvsClient NewOvsClient(IOvsdbClient db, OvsdbOptions? options = null) =>
        new(db, Microsoft.Extensions.Options.Options.Create(options ?? Options()), TimeProvider.System, NullLogger<OvsClient>.Instance);

    /// <summary>A unique interface name: "kt" + <paramref name="tag"/> + random hex, at most 15 characters.</summary>
    public static string UniqueName(string tag = "")
    {
        var name = "kt" + tag + Guid.NewGuid().ToString("N");
        return name[..15];
    }

    public Task<string> VsctlAsync(params string[] args) => RunAsync("ovs-vsctl", ["--db=" + Db, "--timeout=20", .. args]);

    /// <summary>ovs-ofctl on the bridge's management socket (the private run dir).</summary>
    public Task<string> OfctlAsync(string command, params string[] args) =>
        RunAsync("ovs-ofctl", [command, $"unix:{RunDir}/{Bridge}.mgmt", .. args]);

    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var (code, stdout, stderr) = await TryRunAsync(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}: {stderr}");
        }

        return stdout;
    }

    public static async Task<(int Code, string Stdout, string Stderr)> TryRunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    /// <summary>Removes the ports (if still there) through ovs-vsctl and the host links, ignoring what is already gone.</summary>
    public async Task CleanupAsync(IEnumerable<string> names)
    {
        foreach (var n in names)
        {
            await TryRunAsync("ovs-vsctl", "--db=" + Db, "--timeout=20", "--if-exists", "del-port", n);
            await TryRunAsync("ip", "link", "del", n);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OvsTestGroup : ICollectionFixture<OvsTestBed>
{
    public const string Name = "ovs";
}
