using System.Diagnostics;
using System.Text.Json.Nodes;
using Kuryr.Cni.Spec.Config;
using Kuryr.Deployment.Tests.Support;

namespace Kuryr.Deployment.Tests.Cni;

/// <summary>cni/install.sh run for real into temporary directories, with the built kuryr-cni.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kuryr-deploy-install").FullName;

    private string Bin => Path.Combine(_root, "bin");

    private string Conf => Path.Combine(_root, "net.d");

    private string App => Path.Combine(_root, "app");

    private static readonly string Installer = Repo.PathOf("cni", "install.sh");

    /// <summary>The built kuryr-cni (framework-dependent; KURYR_CNI_PUBLISH_DIR overrides with a publish output).</summary>
    private static string BuiltCni()
    {
        if (Environment.GetEnvironmentVariable("KURYR_CNI_PUBLISH_DIR") is { Length: > 0 } dir)
        {
            return dir;
        }

        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var found = Directory.EnumerateFiles(Repo.PathOf("src", "Kuryr.Cni", "bin", configuration), "kuryr-cni.dll", SearchOption.AllDirectories)
            .Select(Path.GetDirectoryName)
            .FirstOrDefault(d => !d!.Contains("/publish", StringComparison.Ordinal) && File.Exists(Path.Combine(d!, "kuryr-cni")));
        return found ?? throw new FileNotFoundException("build src/Kuryr.Cni first");
    }

    /// <summary>A copy of the built kuryr-cni; <paramref name="variant"/> adds a file so the content (and version) differs.</summary>
    private string Source(string variant)
    {
        var dir = Path.Combine(_root, "src-" + variant);
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            foreach (var f in Directory.EnumerateFiles(BuiltCni()))
            {
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            }

            File.WriteAllText(Path.Combine(dir, "variant.txt"), variant);
        }

        return dir;
    }

    private async Task<(int Code, string Stderr)> InstallAsync(string source, string socket = "/run/kuryr/kuryr-agent.sock", params string[] extra)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])[Installer, "--source", source, "--bin-dir", Bin, "--conf-dir", Conf, "--app-dir", App, "--socket", socket, .. extra])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stderr);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> ExecAsync(string path)
    {
        var psi = new ProcessStartInfo(path) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["CNI_COMMAND"] = "VERSION";
        using var p = Process.Start(psi)!;
        await ConflistTests.WriteStdinAsync(p, "{\"cniVersion\":\"1.0.0\"}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Installs_the_entry_point_the_app_and_the_conflist_with_the_socket_and_a_second_run_changes_nothing()
    {
        var (code, stderr) = await InstallAsync(Source("a"), "/var/run/custom/agent.sock");
        Assert.True(code == 0, stderr);

        var entry = Path.Combine(Bin, "kuryr-cni");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(entry));
        var conflist = Path.Combine(Conf, "10-kuryr.conflist");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(conflist));
        var list = JsonNode.Parse(File.ReadAllText(conflist))!.AsObject();
        var kuryr = (JsonObject)list["plugins"]![0]!.DeepClone();
        kuryr["name"] = "kuryr";
        kuryr["cniVersion"] = "1.0.0";
        Assert.Equal("/var/run/custom/agent.sock", NetworkConfig.Parse(System.Text.Encoding.UTF8.GetBytes(kuryr.ToJsonString())).Socket);

        // The installed entry point runs the real kuryr-cni.
        var run = await ExecAsync(entry);
        Assert.True(run.Code == 0, run.Stderr);
        Assert.Contains("supportedVersions", run.Stdout);
        Assert.Single(Directory.EnumerateDirectories(App));

        // Idempotent: same inputs, nothing rewritten (same inode, same mtime), still one version.
        var before = (File.GetLastWriteTimeUtc(entry), File.GetLastWriteTimeUtc(conflist), Inode(entry), Inode(conflist));
        (code, stderr) = await InstallAsync(Source("a"), "/var/run/custom/agent.sock");
        Assert.True(code == 0, stderr);
        Assert.Equal(before, (File.GetLastWriteTimeUtc(entry), File.GetLastWriteTimeUtc(conflist), Inode(entry), Inode(conflist)));
        Assert.Contains("up to date", stderr);
        Assert.Single(Directory.EnumerateDirectories(App));
        Assert.Equal(["kuryr-cni"], Directory.EnumerateFileSystemEntries(Bin).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_missing_source_is_a_clear_error_and_leaves_the_installed_binary_alone()
    {
        var (code, stderr) = await InstallAsync(Source("a"));
        Assert.True(code == 0, stderr);
        var entry = Path.Combine(Bin, "kuryr-cni");
        var content = File.ReadAllText(entry);

        var missing = Path.Combine(_root, "does-not-exist");
        (code, stderr) = await InstallAsync(missing);
        Assert.Equal(3, code);
        Assert.Contains(missing, stderr);
        Assert.Contains("does not exist", stderr);
        Assert.Equal(content, File.ReadAllText(entry));
        Assert.Equal(0, (await ExecAsync(entry)).Code);

        // A source without the apphost names it too.
        var empty = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;
        (code, stderr) = await InstallAsync(empty);
        Assert.Equal(3, code);
        Assert.Contains("no 'kuryr-cni'", stderr);

        (code, stderr) = await InstallAsync(Source("a"), "relative/agent.sock");
        Assert.Equal(2, code);
        Assert.Contains("--socket", stderr);
        Assert.Equal(content, File.ReadAllText(entry));
    }

    /// <summary>
    /// Re-installing (new versions, pruning) while loops exec the installed kuryr-cni hundreds of
    /// times: every exec runs a complete kuryr-cni (no ETXTBSY, no exec format error, no partial file).
    /// </summary>
    [Fact]
    public async Task Reinstalling_while_kuryr_cni_is_executed_hundreds_of_times_never_breaks_an_exec()
    {
        var (code, stderr) = await InstallAsync(Source("v0"));
        Assert.True(code == 0, stderr);
        var entry = Path.Combine(Bin, "kuryr-cni");
        for (var v = 1; v <= 4; v++)
        {
            _ = Source("v" + v);
        }

        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var execs = 0;
        async Task ExecLoop()
        {
            while (!stop.IsCancellationRequested || Volatile.Read(ref execs) < 200)
            {
                try
                {
                    var r = await ExecAsync(entry);
                    if (r.Code != 0 || !r.Stdout.Contains("supportedVersions", StringComparison.Ordinal))
                    {
                        failures.Add($"exit {r.Code}: {r.Stdout} {r.Stderr}");
                    }
                }
                catch (System.ComponentModel.Win32Exception e)
                {
                    failures.Add("exec failed: " + e.Message);
                }

                if (Interlocked.Increment(ref execs) >= 1000)
                {
                    break;
                }
            }
        }

        var loops = Enumerable.Range(0, 3).Select(_ => Task.Run(ExecLoop)).ToArray();
        var installs = 0;
        while (Volatile.Read(ref execs) < 200)
        {
            (code, stderr) = await InstallAsync(Source("v" + (installs % 5)), "/run/kuryr/kuryr-agent.sock", "--keep", "3");
            Assert.True(code == 0, stderr);
            installs++;
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);
        Assert.True(failures.IsEmpty, $"{failures.Count} of {execs} execs failed during {installs} installs:\n" + string.Join("\n", failures.Take(5)));
        Assert.True(installs >= 5, $"only {installs} installs ran during the execs");
        // Pruning kept at most 3 versions and never the current one.
        Assert.InRange(Directory.EnumerateDirectories(App).Count(d => !Path.GetFileName(d).StartsWith('.')), 1, 3);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(App), d => Path.GetFileName(d).StartsWith(".staging", StringComparison.Ordinal));
    }

    private static string Inode(string path)
    {
        var psi = new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var s = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return s;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
