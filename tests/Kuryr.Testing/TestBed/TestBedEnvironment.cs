using System.Diagnostics;

namespace Kuryr.Testing.TestBed;

/// <summary>
/// The real services of the test bed (testbed/up.sh). <see cref="EnsureAsync"/> brings the named
/// services up when they are not answering yet (the script leaves running ones alone and serialises
/// concurrent callers), then reads the endpoints from the env file it writes. A service that cannot
/// be started fails the test: integration tests never skip.
/// </summary>
public static class TestBedEnvironment
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly HashSet<string> Started = [];

    /// <summary>The repository root (the folder holding Kuryr.Node.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Ensures the services are up and returns every endpoint the test bed knows.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> EnsureAsync(params string[] services)
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var missing = services.Where(s => !Started.Contains(s)).ToArray();
            if (missing.Length > 0)
            {
                await RunUpAsync(missing).ConfigureAwait(false);
                foreach (var s in missing)
                {
                    Started.Add(s);
                }
            }

            return ReadEnv();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Path of the env file testbed/up.sh writes.</summary>
    public static string EnvFile =>
        Path.Combine(Environment.GetEnvironmentVariable("KURYR_TESTBED_DIR")
            ?? Path.Combine(Environment.GetEnvironmentVariable("TMPDIR") ?? "/tmp", "kuryr-testbed"), "env");

    /// <summary>Runs a test-bed script (path relative to testbed/) and returns its stdout; throws on failure.</summary>
    public static async Task<string> RunScriptAsync(string relativePath, IReadOnlyDictionary<string, string>? env = null, params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(RepoRoot, "testbed", relativePath))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {relativePath}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"testbed/{relativePath} {string.Join(' ', args)} failed with exit code {p.ExitCode}:\n{await stderr.ConfigureAwait(false)}");
        }

        return await stdout.ConfigureAwait(false);
    }

    private static Task<string> RunUpAsync(string[] services) => RunScriptAsync("up.sh", null, services);

    private static Dictionary<string, string> ReadEnv()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(EnvFile))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result[line[..eq]] = line[(eq + 1)..];
            }
        }

        return result;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kuryr.Node.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kuryr.Node.sln not found above " + AppContext.BaseDirectory);
    }
}
