using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Neutron.Tests;

/// <summary>Unit tests of the shared request plumbing (pagination, deletes, id checks).</summary>
public sealed class NeutronClientTests
{
    private readonly RecordingTransport _transport = new();

    private NeutronClient Client => new(_transport, NullLogger<NeutronClient>.Instance);

    [Fact]
    public async Task Listing_follows_the_next_link_query_on_the_configured_path()
    {
        _transport
            .Answer("""{"ports":[{"id":"a"},{"id":"b"}],"ports_links":[{"rel":"next","href":"http://other-host:9696/v2.0/ports?limit=2&device_owner=compute%3Akuryr&marker=b"},{"rel":"previous","href":"http://x/v2.0/ports?marker=a&page_reverse=True"}]}""")
            .Answer("""{"ports":[{"id":"c"}],"ports_links":[{"rel":"previous","href":"http://x/v2.0/ports?marker=c&page_reverse=True"}]}""");

        var ids = await Client.ListPortsAsync(new PortFilter { DeviceOwner = "compute:kuryr", Limit = 2 }).Select(p => p.Id).ToListAsync();

        Assert.Equal(["a", "b", "c"], ids);
        Assert.Equal(2, _transport.Requests.Count);
        Assert.All(_transport.Requests, r => Assert.Equal("ports", r.Path));
        Assert.All(_transport.Requests, r => Assert.True(r.Idempotent));
        Assert.Null(_transport.Requests[1].AbsoluteUri);
        Assert.Equal(
            [new("limit", "2"), new("device_owner", "compute:kuryr"), new("marker", "b")],
            _transport.Requests[1].Query);
    }

    [Fact]
    public async Task Listing_stops_on_an_empty_page_even_with_a_next_link()
    {
        _transport.Answer("""{"ports":[],"ports_links":[{"rel":"next","href":"http://x/v2.0/ports?limit=2&marker=z"}]}""");

        var ports = await Client.ListPortsAsync(new PortFilter { Limit = 2 }).ToListAsync();

        Assert.Empty(ports);
        Assert.Single(_transport.Requests);
    }

    [Fact]
    public async Task Listing_refuses_a_next_link_that_repeats_the_page()
    {
        _transport.Answer("""{"ports":[{"id":"a"}],"ports_links":[{"rel":"next","href":"http://x/v2.0/ports?limit=1"}]}""");

        var e = await Assert.ThrowsAsync<NeutronException>(() => Client.ListPortsAsync(new PortFilter { Limit = 1 }).ToListAsync().AsTask());

        Assert.Equal("PaginationLoop", e.ErrorType);
    }

    [Fact]
    public async Task A_failing_page_fails_the_whole_listing()
    {
        _transport
            .Answer("""{"ports":[{"id":"a"}],"ports_links":[{"rel":"next","href":"http://x/v2.0/ports?limit=1&marker=a"}]}""")
            .Fail(new NeutronServerException("list_ports", 500, null, "boom", null));

        await Assert.ThrowsAsync<NeutronServerException>(() => Client.ListPortsAsync(new PortFilter { Limit = 1 }).ToListAsync().AsTask());
    }

    [Fact]
    public async Task Delete_answers_false_for_a_missing_object_and_true_otherwise()
    {
        _transport
            .Fail(new NeutronNotFoundException("delete_port", "PortNotFound", "Port p1 could not be found.", null))
            .Answer("", 204);

        Assert.False(await Client.DeletePortAsync("p1"));
        Assert.True(await Client.DeletePortAsync("p2"));
        Assert.Equal(HttpMethod.Delete, _transport.Requests[0].Method);
        Assert.Equal("ports/p2", _transport.Requests[1].Path);
        Assert.True(_transport.Requests[1].Idempotent);
    }

    [Fact]
    public async Task Delete_passes_other_errors_through()
    {
        _transport.Fail(new NeutronConflictException("delete_port", "PortInUse", "in use", null));

        await Assert.ThrowsAsync<NeutronConflictException>(() => Client.DeletePortAsync("p1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task An_empty_id_is_refused_before_sending(string id)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Client.GetPortAsync(id));

        Assert.Equal("portId", e.ParamName);
        Assert.Empty(_transport.Requests);
    }

    [Fact]
    public async Task Ids_are_escaped_in_the_path()
    {
        _transport.Answer("""{"port":{"id":"a/b"}}""");

        await Client.GetPortAsync("a/b");

        Assert.Equal("ports/a%2Fb", _transport.Requests[0].Path);
    }

    [Fact]
    public async Task An_answer_without_the_envelope_is_a_clear_error()
    {
        _transport.Answer("""{"network":{"id":"n"}}""");

        var e = await Assert.ThrowsAsync<NeutronException>(() => Client.GetPortAsync("p"));

        Assert.Equal("MalformedResponse", e.ErrorType);
        Assert.Contains("'port'", e.Message, StringComparison.Ordinal);
    }
}
