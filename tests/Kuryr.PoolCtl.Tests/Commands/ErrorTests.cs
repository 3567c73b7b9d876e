using Kuryr.Testing.TestBed;

namespace Kuryr.PoolCtl.Tests.Commands;

/// <summary>Errors that need no controller: each names what is wrong, with exit code 2 for usage and
/// configuration, 1 for a failed operation. Real Redis of the test bed.</summary>
public sealed class ErrorTests(RedisTestBed redis) : IClassFixture<RedisTestBed>, IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "knpc-err-" + Guid.NewGuid().ToString("N")[..8]);

    private string Conf => Path.Combine(_dir, "kuryr.conf");

    private string Socket => Path.Combine(_dir, "nothing-here.sock");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        return File.WriteAllTextAsync(Conf, $"""
            [redis]
            endpoints = {redis.Endpoint}
            key_prefix = {RedisTestBed.UniquePrefix("poolctl-err")}
            connect_timeout = 2

            [pool_manager]
            sock_file = {Socket}
            """);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRun.RunAsync(["--config-file", Conf, .. args]);

    public static TheoryData<string[], int, string> Errors => new()
    {
        { ["show", "node-1/project"], 2, "kuryr-poolctl: pool id \"node-1/project\": expected HOST/PROJECT_ID/NETWORK_ID (3 parts separated by '/'), got 2 parts; 'kuryr-poolctl list' prints the ids" },
        { ["show", "node-1/project/"], 2, "kuryr-poolctl: pool id \"node-1/project/\": NETWORK_ID is empty (expected HOST/PROJECT_ID/NETWORK_ID)" },
        { ["free", "/project/network"], 2, "kuryr-poolctl: pool id \"/project/network\": HOST is empty (expected HOST/PROJECT_ID/NETWORK_ID)" },
        { ["show", "node-1/pro{j}/network"], 2, "kuryr-poolctl: pool id \"node-1/pro{j}/network\": PROJECT_ID \"pro{j}\" must not contain '{' or '}'" },
        { ["populate", "a/b/c", "--ports", "0", "--subnet-id", "s"], 2, "kuryr-poolctl: --ports 0 is out of range: 1..500 ports per populate" },
        { ["populate", "a/b/c", "--ports", "501", "--subnet-id", "s"], 2, "kuryr-poolctl: --ports 501 is out of range: 1..500 ports per populate" },
        { ["list", "--output", "yaml"], 2, "yaml" },
        { ["list", "--redis", "localhost"], 2, "kuryr-poolctl: --redis \"localhost\": expected HOST:PORT (port 1..65535)" },
        { ["list", "--redis", "127.0.0.1:1"], 1, "kuryr-poolctl: cannot reach Redis at 127.0.0.1:1 ([redis] endpoints, or --redis)" },
        { ["vifs", "--node", "a/b"], 2, "kuryr-poolctl: --node \"a/b\": a node name is non-empty and free of '/', '{' and '}'" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Bad_input_and_unreachable_parts_fail_with_a_message_naming_them(string[] args, int code, string message)
    {
        var run = await RunAsync(args);

        Assert.Equal(code, run.Code);
        Assert.Equal("", run.Out);
        Assert.Contains(message, run.Err, StringComparison.Ordinal);
        if (message.StartsWith("kuryr-poolctl:", StringComparison.Ordinal))
        {
            Assert.StartsWith(message, run.Err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Show_of_an_unknown_pool_says_so_and_how_to_list_the_pools()
    {
        var run = await RunAsync("show", "node-x/project-x/network-x");

        Assert.Equal(1, run.Code);
        Assert.Equal("kuryr-poolctl: pool node-x/project-x/network-x not found in Redis; list the pools with 'kuryr-poolctl list'", run.Err.TrimEnd());
    }

    [Fact]
    public async Task A_missing_management_socket_fails_naming_the_path_and_that_the_controller_may_not_run_there()
    {
        var run = await RunAsync("populate", "node-x/project-x/network-x", "--ports", "1", "--subnet-id", "s");

        Assert.Equal(1, run.Code);
        Assert.StartsWith($"kuryr-poolctl: management socket {Socket} does not exist: kuryr-controller may not run on this host", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_socket_option_overrides_sock_file()
    {
        var other = Path.Combine(_dir, "other.sock");

        var run = await RunAsync("--socket", other, "free", "a/b/c");

        Assert.Equal(1, run.Code);
        Assert.StartsWith($"kuryr-poolctl: management socket {other} does not exist", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_invalid_configuration_file_is_a_usage_error_naming_the_file_or_option()
    {
        var missing = Path.Combine(_dir, "missing.conf");
        var run = await PoolCtlRun.RunAsync(["--config-file", missing, "list"]);
        Assert.Equal(2, run.Code);
        Assert.Equal($"kuryr-poolctl: configuration file {missing} not found (--config-file)", run.Err.TrimEnd());

        var bad = Path.Combine(_dir, "bad.conf");
        await File.WriteAllTextAsync(bad, "[redis]\nendpoints = not-an-endpoint\n");
        run = await PoolCtlRun.RunAsync(["--config-file", bad, "list"]);
        Assert.Equal(2, run.Code);
        Assert.StartsWith($"kuryr-poolctl: invalid configuration {bad}:", run.Err, StringComparison.Ordinal);
        Assert.Contains("endpoints", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_Redis_lists_no_pools_in_both_formats()
    {
        var table = await RunAsync("list");
        var json = await RunAsync("list", "-o", "json");

        Assert.Equal(0, table.Code);
        Assert.Equal("No pools registered in Redis.", table.Out.TrimEnd());
        Assert.Equal(0, json.Code);
        Assert.Equal("{\n  \"pools\": []\n}", json.Out.TrimEnd().ReplaceLineEndings("\n"));
    }
}
