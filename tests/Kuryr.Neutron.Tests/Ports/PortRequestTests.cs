using System.Text.Json;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Neutron.Tests.Ports;

/// <summary>Unit tests of port request building (fake transport; the behaviour against Neutron is in
/// <see cref="NeutronClientPortsTests"/>).</summary>
public sealed class PortRequestTests
{
    private const string WithTagExtension = """{"extensions":[{"alias":"trunk"},{"alias":"tag-ports-during-bulk-creation"}]}""";
    private const string WithoutTagExtension = """{"extensions":[{"alias":"trunk"}]}""";

    private readonly RecordingTransport _transport = new();

    private NeutronClient Client => new(_transport, NullLogger<NeutronClient>.Instance);

    [Fact]
    public async Task Bulk_create_is_one_bulk_post_with_the_tags_when_neutron_supports_them()
    {
        _transport.Answer(WithTagExtension)
            .Answer("""{"ports":[{"id":"p1","tags":["t"]},{"id":"p2","tags":["t"]}]}""", 201);
        var client = Client;

        var ports = await client.CreatePortsAsync([
            new PortCreate { NetworkId = "n", DeviceOwner = "compute:kuryr", Tags = ["t"] },
            new PortCreate { NetworkId = "n", DeviceOwner = "compute:kuryr", Tags = ["t"] },
        ]);

        Assert.Equal(["p1", "p2"], ports.Select(p => p.Id));
        var post = _transport.Requests[1];
        Assert.Equal(HttpMethod.Post, post.Method);
        Assert.Equal("ports", post.Path);
        Assert.True(post.BulkCreate);
        Assert.False(post.Idempotent);
        using var body = JsonDocument.Parse(post.Body);
        var items = body.RootElement.GetProperty("ports");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal("t", items[0].GetProperty("tags")[0].GetString());
        Assert.Equal("compute:kuryr", items[1].GetProperty("device_owner").GetString());
        Assert.False(items[0].TryGetProperty("name", out _)); // unset members are not sent
        Assert.Equal(2, _transport.Requests.Count);
    }

    [Fact]
    public async Task Without_the_extension_bulk_create_posts_untagged_then_tags_each_port()
    {
        _transport.Answer(WithoutTagExtension)
            .Answer("""{"ports":[{"id":"p1"},{"id":"p2"}]}""", 201)
            .Answer("""{"tags":["a"]}""")
            .Answer("""{"tags":["b"]}""");

        var ports = await Client.CreatePortsAsync([
            new PortCreate { NetworkId = "n", Tags = ["a"] },
            new PortCreate { NetworkId = "n", Tags = ["b"] },
        ]);

        Assert.Equal(["a"], ports[0].Tags);
        Assert.Equal(["b"], ports[1].Tags);
        Assert.DoesNotContain("tags", RecordingTransport.BodyOf(_transport.Requests[1]), StringComparison.Ordinal);
        Assert.Equal(["ports/p1/tags", "ports/p2/tags"], _transport.Requests.Skip(2).Select(r => r.Path));
        Assert.All(_transport.Requests.Skip(2), r => Assert.Equal(HttpMethod.Put, r.Method));
        Assert.Equal("""{"tags":["b"]}""", RecordingTransport.BodyOf(_transport.Requests[3]));
    }

    [Fact]
    public async Task When_tagging_after_create_fails_the_new_ports_are_deleted_and_the_error_surfaces()
    {
        _transport.Answer(WithoutTagExtension)
            .Answer("""{"ports":[{"id":"p1"},{"id":"p2"}]}""", 201)
            .Answer("""{"tags":["a"]}""")
            .Fail(new NeutronServerException("set_port_tags", 503, null, "down", null))
            .Answer("", 204)
            .Answer("", 204);

        await Assert.ThrowsAsync<NeutronServerException>(() => Client.CreatePortsAsync([
            new PortCreate { NetworkId = "n", Tags = ["a"] },
            new PortCreate { NetworkId = "n", Tags = ["a"] },
        ]));

        var deletes = _transport.Requests.Where(r => r.Method == HttpMethod.Delete).Select(r => r.Path).ToList();
        Assert.Equal(["ports/p1", "ports/p2"], deletes);
    }

    [Fact]
    public async Task The_extension_list_is_fetched_once()
    {
        _transport.Answer(WithTagExtension)
            .Answer("""{"port":{"id":"p1"}}""", 201)
            .Answer("""{"port":{"id":"p2"}}""", 201);
        var client = Client;

        await client.CreatePortAsync(new PortCreate { NetworkId = "n", Tags = ["t"] });
        await client.CreatePortAsync(new PortCreate { NetworkId = "n", Tags = ["t"] });

        Assert.Single(_transport.Requests, r => r.Path == "extensions");
    }

    [Fact]
    public async Task Bulk_create_without_tags_needs_no_extension_lookup_and_an_empty_batch_sends_nothing()
    {
        _transport.Answer("""{"ports":[{"id":"p1"}]}""", 201);

        Assert.Empty(await Client.CreatePortsAsync([]));
        await Client.CreatePortsAsync([new PortCreate { NetworkId = "n" }]);

        Assert.Single(_transport.Requests);
    }

    [Fact]
    public async Task Bulk_create_with_a_missing_network_names_the_field()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            Client.CreatePortsAsync([new PortCreate { NetworkId = "n" }, new PortCreate()]));

        Assert.Equal("ports[1].network_id", e.ParamName);
        Assert.Contains("ports[1].network_id", e.Message, StringComparison.Ordinal);
        Assert.Empty(_transport.Requests);
    }

    [Fact]
    public async Task Bulk_create_with_a_short_answer_is_an_error()
    {
        _transport.Answer("""{"ports":[{"id":"p1"}]}""", 201);

        var e = await Assert.ThrowsAsync<NeutronException>(() =>
            Client.CreatePortsAsync([new PortCreate { NetworkId = "n" }, new PortCreate { NetworkId = "n" }]));

        Assert.Equal("MalformedResponse", e.ErrorType);
    }

    [Fact]
    public async Task Update_sends_only_the_members_set_and_an_empty_list_clears()
    {
        _transport.Answer("""{"port":{"id":"p1","security_groups":[]}}""");

        var port = await Client.UpdatePortAsync("p1", new PortUpdate { SecurityGroups = [], BindingHostId = "" });

        Assert.Empty(port.SecurityGroups);
        var request = _transport.Requests[0];
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("ports/p1", request.Path);
        Assert.Equal("""{"port":{"security_groups":[],"binding:host_id":""}}""", RecordingTransport.BodyOf(request));
        Assert.True(request.Idempotent);
        Assert.Null(request.IfMatch);
    }

    [Fact]
    public async Task Update_with_a_revision_sends_if_match_and_is_not_retried()
    {
        _transport.Answer("""{"port":{"id":"p1"}}""");

        await Client.UpdatePortAsync("p1", new PortUpdate { Name = "x" }, ifMatchRevision: 7);

        Assert.Equal("revision_number=7", _transport.Requests[0].IfMatch);
        Assert.False(_transport.Requests[0].Idempotent);
    }

    [Fact]
    public async Task An_update_that_sets_nothing_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client.UpdatePortAsync("p1", new PortUpdate()));
        Assert.Empty(_transport.Requests);
    }

    [Fact]
    public async Task An_empty_tag_is_refused_with_its_index()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Client.SetPortTagsAsync("p1", ["ok", ""]));

        Assert.Equal("tags[1]", e.ParamName);
    }
}
