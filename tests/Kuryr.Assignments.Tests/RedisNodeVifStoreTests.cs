using System.Text.Json.Nodes;
using Kuryr.Config.Options;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Kuryr.Assignments.Tests;

/// <summary>The node VIF publication against the REAL Redis of the test bed, pub/sub included.</summary>
public sealed class RedisNodeVifStoreTests(RedisTestBed redis) : IClassFixture<RedisTestBed>, IAsyncLifetime
{
    private readonly string _prefix = RedisTestBed.UniquePrefix("assign");
    private ServiceProvider _provider = null!;

    private INodeVifPublisher Publisher => _provider.GetRequiredService<INodeVifPublisher>();

    private INodeVifReader Reader => _provider.GetRequiredService<INodeVifReader>();

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.Configure<RedisOptions>(o =>
        {
            o.Endpoints = [redis.Endpoint];
            o.KeyPrefix = _prefix;
        });
        services.AddKuryrNodeVifAssignments();
        _provider = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        var db = _provider.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        await db.KeyDeleteAsync($"{_prefix}:node:{{node-a}}:vifs");
        await db.KeyDeleteAsync($"{_prefix}:node:{{node-b}}:vifs");
        await _provider.DisposeAsync();
    }

    private static NodeVifAssignment Assignment(string uid, string port) => new(uid, "42", new JsonObject
    {
        ["eth0"] = new JsonObject
        {
            ["default"] = true,
            ["vif"] = new JsonObject { ["versioned_object.name"] = "VIFOpenVSwitch", ["versioned_object.data"] = new JsonObject { ["id"] = port } },
        },
    });

    [Fact]
    public async Task Published_assignments_are_in_the_node_hash_under_namespace_slash_pod_and_read_back()
    {
        await Publisher.PublishAsync("node-a", "ns1", "pod1", Assignment("uid-1", "port-1"));
        await Publisher.PublishAsync("node-a", "ns1", "pod2", Assignment("uid-2", "port-2"));
        await Publisher.PublishAsync("node-b", "ns1", "pod3", Assignment("uid-3", "port-3"));

        var raw = await _provider.GetRequiredService<IConnectionMultiplexer>().GetDatabase().HashGetAsync($"{_prefix}:node:{{node-a}}:vifs", "ns1/pod1");
        var json = JsonNode.Parse((string)raw!)!;
        Assert.Equal("uid-1", (string?)json["podUid"]);
        Assert.Equal("42", (string?)json["kuryrPortResourceVersion"]);
        Assert.Equal("port-1", (string?)json["vifs"]!["eth0"]!["vif"]!["versioned_object.data"]!["id"]);
        Assert.True((bool)json["vifs"]!["eth0"]!["default"]!);

        var one = await Reader.GetAsync("node-a", "ns1", "pod2");
        Assert.Equal("uid-2", one!.PodUid);
        var all = await Reader.GetAllAsync("node-a");
        Assert.Equal(["pod1", "pod2"], all.Select(e => e.PodName).Order());
        Assert.All(all, e => Assert.Equal("ns1", e.Namespace));
        Assert.Null(await Reader.GetAsync("node-b", "ns1", "pod1"));
    }

    [Fact]
    public async Task Remove_deletes_the_field_and_is_idempotent()
    {
        await Publisher.PublishAsync("node-a", "ns2", "pod1", Assignment("uid-1", "port-1"));

        Assert.True(await Publisher.RemoveAsync("node-a", "ns2", "pod1"));
        Assert.False(await Publisher.RemoveAsync("node-a", "ns2", "pod1"));
        Assert.Null(await Reader.GetAsync("node-a", "ns2", "pod1"));
    }

    [Fact]
    public async Task Subscribers_of_a_node_get_publications_and_removals_of_that_node_only()
    {
        var changes = new List<NodeVifChange>();
        var two = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (await Reader.SubscribeAsync("node-a", c =>
        {
            lock (changes)
            {
                changes.Add(c);
                if (changes.Count == 2)
                {
                    two.TrySetResult();
                }
            }

            return Task.CompletedTask;
        }))
        {
            await Publisher.PublishAsync("node-b", "ns3", "other", Assignment("uid-9", "port-9"));
            await Publisher.PublishAsync("node-a", "ns3", "pod1", Assignment("uid-1", "port-1"));
            await Publisher.RemoveAsync("node-a", "ns3", "pod1");
            await two.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal([new NodeVifChange("node-a", "ns3", "pod1"), new NodeVifChange("node-a", "ns3", "pod1")], changes);
    }

    [Fact]
    public async Task After_unsubscribing_no_more_changes_arrive()
    {
        var count = 0;
        var sub = await Reader.SubscribeAsync("node-a", _ => { Interlocked.Increment(ref count); return Task.CompletedTask; });
        await sub.DisposeAsync();

        await Publisher.PublishAsync("node-a", "ns4", "pod1", Assignment("uid-1", "port-1"));
        await Task.Delay(300);

        Assert.Equal(0, Volatile.Read(ref count));
    }

    [Fact]
    public async Task A_malformed_stored_value_fails_naming_the_key_and_field()
    {
        await _provider.GetRequiredService<IConnectionMultiplexer>().GetDatabase().HashSetAsync($"{_prefix}:node:{{node-a}}:vifs", "ns5/bad", "{not json");

        var e = await Assert.ThrowsAsync<NodeVifFormatException>(() => Reader.GetAsync("node-a", "ns5", "bad"));

        Assert.Contains("ns5/bad", e.Message, StringComparison.Ordinal);
        Assert.Contains(":node:{node-a}:vifs", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "ns", "pod", "node")]
    [InlineData("node", "n/s", "pod", "pod namespace")]
    [InlineData("node", "ns", "p{o}d", "pod name")]
    public async Task Bad_names_are_refused_naming_the_field(string node, string ns, string pod, string field)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Publisher.PublishAsync(node, ns, pod, Assignment("uid", "port")));

        Assert.StartsWith(field + " ", e.Message, StringComparison.Ordinal);
    }
}
