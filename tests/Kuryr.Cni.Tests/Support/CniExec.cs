using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Kuryr.Cni.Tests.Support;

/// <summary>Runs a CNI plugin executable (the built kuryr-cni, or a reference plugin) with env + stdin.</summary>
public static class CniExec
{
    /// <summary>
    /// The built kuryr-cni in its own output folder (<c>KURYR_CNI_BIN</c> overrides, e.g. a published
    /// ReadyToRun build). Not the copy next to the tests: there the ASP.NET Core framework the agent
    /// stub needs has displaced kuryr-cni's own Logging.Abstractions.
    /// </summary>
    public static string KuryrCni { get; } = Environment.GetEnvironmentVariable("KURYR_CNI_BIN") is { Length: > 0 } bin ? bin : FindBuilt();

    private static string FindBuilt()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kuryr.Node.sln")))
        {
            dir = dir.Parent;
        }

        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(dir?.FullName ?? ".", "src", "Kuryr.Cni", "bin", configuration, "net10.0", "kuryr-cni");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build kuryr-cni first: {path} is missing", path);
    }

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public JsonObject Json => JsonNode.Parse(Stdout)!.AsObject();

        public int ErrorCode => Json["code"]!.GetValue<int>();

        public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
    }

    public static async Task<Outcome> RunAsync(string executable, IReadOnlyDictionary<string, string> env, byte[] stdin, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("CNI_", StringComparison.Ordinal) || k == "KURYR_CNI_DEBUG").ToList())
        {
            psi.Environment.Remove(key);
        }

        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The plugin may exit before reading everything (e.g. oversized input): that is its right.
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return new Outcome(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    public static Task<Outcome> RunAsync(string executable, IReadOnlyDictionary<string, string> env, string stdin) =>
        RunAsync(executable, env, Encoding.UTF8.GetBytes(stdin));

    public static Dictionary<string, string> Env(string command, string? containerId = "c0ffee", string? netns = "/var/run/netns/test", string? ifName = "eth0",
        string args = "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns1;K8S_POD_NAME=pod1;K8S_POD_UID=uid-1")
    {
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = command, ["CNI_PATH"] = "/usr/lib/cni", ["CNI_ARGS"] = args };
        if (containerId is not null)
        {
            env["CNI_CONTAINERID"] = containerId;
        }

        if (netns is not null)
        {
            env["CNI_NETNS"] = netns;
        }

        if (ifName is not null)
        {
            env["CNI_IFNAME"] = ifName;
        }

        return env;
    }

    /// <summary>A minimal valid stdin config pointing kuryr-cni at <paramref name="socket"/>.</summary>
    public static string Config(string version, string socket, string extra = "") =>
        $$"""{"cniVersion":"{{version}}","name":"kuryr","type":"kuryr-cni","socket":"{{socket}}"{{extra}}}""";
}
