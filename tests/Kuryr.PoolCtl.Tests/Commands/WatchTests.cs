using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Kuryr.Testing.TestBed;

namespace Kuryr.PoolCtl.Tests.Commands;

/// <summary><c>watch</c> without a terminal prints a new table per refresh; cancellation (Ctrl-C)
/// ends it with exit 0. Also the built binary run as a process.</summary>
[Collection(Collection)]
public sealed class WatchTests(RedisTestBed redis) : PoolCtlTestBase(redis), IClassFixture<RedisTestBed>
{
    /// <summary>Cancels when the <paramref name="refreshes"/>-th "Every" header has been written.</summary>
    private sealed class CancellingWriter(CancellationTokenSource cancel, int refreshes) : StringWriter
    {
        private int _seen;

        public override void Write(string? value)
        {
            base.Write(value);
            if (value is not null && value.Contains("Every ", StringComparison.Ordinal) && ++_seen == refreshes)
            {
                cancel.Cancel();
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
    }

    private static int Occurrences(string text, string value)
    {
        var n = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    [Fact]
    public async Task Watch_without_a_terminal_prints_a_table_per_refresh_and_json_lines_with_json()
    {
        await using var bed = await StartAsync();
        Assert.Equal(1, await bed.PopulateAsync(1));

        var table = await bed.RunAsync("watch", "--interval", "0.05", "--count", "3");
        var json = await bed.RunAsync("watch", "--interval", "0.05", "--count", "2", "-o", "json");

        Assert.Equal(0, table.Code);
        Assert.Equal(3, Occurrences(table.Out, "Every 0.05s: kuryr-poolctl list"));
        Assert.Equal(3, Occurrences(table.Out, bed.Pool.Id));
        Assert.Equal(0, json.Code);
        var lines = json.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l =>
        {
            using var doc = JsonDocument.Parse(l);
            Assert.Equal(bed.Pool.Id, Assert.Single(doc.RootElement.GetProperty("pools").EnumerateArray()).GetProperty("id").GetString());
        });
    }

    [Fact]
    public async Task Ctrl_C_ends_watch_cleanly_with_exit_0()
    {
        await using var bed = await StartAsync();
        Assert.Equal(1, await bed.PopulateAsync(1));
        using var cancel = new CancellationTokenSource();
        await using var output = new CancellingWriter(cancel, 2);

        var run = await PoolCtlRun.RunAsync(["--config-file", bed.ConfigFile, "watch", "--interval", "0.05"], output, cancel.Token);

        Assert.Equal(0, run.Code);
        Assert.Equal("", run.Err);
        Assert.Equal(2, Occurrences(run.Out, "Every 0.05s"));
    }

    [Fact]
    public async Task The_built_kuryr_poolctl_binary_lists_the_pools_and_exits_2_on_a_bad_pool_id()
    {
        await using var bed = await StartAsync();
        Assert.Equal(1, await bed.PopulateAsync(1));

        var (code, stdout, stderr) = await ExecAsync("--config-file", bed.ConfigFile, "list", "-o", "json");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            var pool = Assert.Single(doc.RootElement.GetProperty("pools").EnumerateArray());
            Assert.Equal(bed.Pool.Id, pool.GetProperty("id").GetString());
            Assert.Equal(1, pool.GetProperty("counts").GetProperty("available").GetInt32());
        }

        (code, stdout, stderr) = await ExecAsync("--config-file", bed.ConfigFile, "list");
        Assert.Equal(0, code);
        Assert.Contains(bed.Pool.Id, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stdout);

        (code, _, stderr) = await ExecAsync("--config-file", bed.ConfigFile, "show", "just-a-host");
        Assert.Equal(2, code);
        Assert.StartsWith("kuryr-poolctl: pool id \"just-a-host\": expected HOST/PROJECT_ID/NETWORK_ID", stderr, StringComparison.Ordinal);
    }

    /// <summary>The built apphost of src/Kuryr.PoolCtl (Release, else Debug).</summary>
    private static string Binary()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "src", "Kuryr.PoolCtl")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var path = Path.Combine(dir.FullName, "src", "Kuryr.PoolCtl", "bin", configuration, "net10.0", "kuryr-poolctl");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("kuryr-poolctl is not built: dotnet build src/Kuryr.PoolCtl -c Release");
    }

    private static async Task<(int Code, string Out, string Err)> ExecAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Binary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("KURYR_", StringComparison.Ordinal)))
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
