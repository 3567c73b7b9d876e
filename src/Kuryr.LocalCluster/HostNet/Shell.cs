using System.Diagnostics;

namespace Kuryr.LocalCluster.HostNet;

/// <summary>The result of a command run by <see cref="Shell"/>.</summary>
public sealed record ShellResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Ok => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}: {Stderr.Trim()} {Stdout.Trim()}".Trim();
}

/// <summary>Runs host commands (ip, ovs-vsctl, ping) with arguments, never through a shell.</summary>
public static class Shell
{
    public static async Task<ShellResult> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null,
        byte[]? stdin = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
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

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program may exit before reading its input.
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish in time");
        }

        return new ShellResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs and throws, naming the command, when it fails.</summary>
    public static async Task<string> CheckAsync(string file, params string[] args)
    {
        var r = await RunAsync(file, args).ConfigureAwait(false);
        return r.Ok ? r.Stdout : throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {r}");
    }
}
