using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Ovs.Ovsdb;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kuryr.Ovs.Tests.JsonRpc;

/// <summary>Protocol handling against a scripted local socket (framing, echo, malformed replies, timeouts, drops).</summary>
public sealed class OvsdbConnectionTests : IAsyncLifetime
{
    private readonly FakeOvsdbServer _server = new();
    private OvsdbClient _client = null!;

    public Task InitializeAsync()
    {
        _client = NewClient(TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private OvsdbClient NewClient(TimeSpan requestTimeout) =>
        new(Options.Create(new OvsdbOptions { Connection = _server.Connection, RequestTimeout = requestTimeout }), TimeProvider.System, NullLogger<OvsdbClient>.Instance);

    [Fact]
    public async Task A_response_split_across_writes_and_glued_to_the_next_one_completes_both_calls()
    {
        var first = _client.ListDatabasesAsync();
        var peer = await _server.AcceptAsync();
        var r1 = await peer.ReceiveAsync();
        var second = _client.ListDatabasesAsync();
        var r2 = await peer.ReceiveAsync();
        Assert.Equal("list_dbs", r1.GetProperty("method").GetString());
        var id1 = r1.GetProperty("id").GetInt64();
        var id2 = r2.GetProperty("id").GetInt64();
        Assert.NotEqual(id1, id2);

        // Answer the second first, then the first, in odd chunks with no separator.
        var text = $"{{\"id\":{id2},\"result\":[\"B\"],\"error\":null}}{{\"id\":{id1},\"result\":[\"A\"],\"error\":null}}";
        await peer.SendAsync(text[..7]);
        await Task.Delay(20);
        await peer.SendAsync(text[7..40]);
        await Task.Delay(20);
        await peer.SendAsync(text[40..]);

        Assert.Equal(["A"], await first);
        Assert.Equal(["B"], await second);
    }

    [Fact]
    public async Task An_echo_request_from_the_server_is_answered_with_its_params_and_id()
    {
        var call = _client.ListDatabasesAsync();
        var peer = await _server.AcceptAsync();
        var request = await peer.ReceiveAsync();
        await peer.SendAsync("{\"method\":\"echo\",\"params\":[\"probe\",1],\"id\":\"echo\"}");
        var reply = await peer.ReceiveAsync();
        Assert.Equal("echo", reply.GetProperty("id").GetString());
        Assert.Equal("[\"probe\",1]", reply.GetProperty("result").GetRawText());
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("error").ValueKind);

        await peer.SendAsync($"{{\"id\":{request.GetProperty("id").GetInt64()},\"result\":[\"Open_vSwitch\"],\"error\":null}}");
        Assert.Equal(["Open_vSwitch"], await call);
    }

    [Theory]
    [InlineData("{\"id\":1,\"result\":[}", "malformed JSON")]
    [InlineData("[1,2,3]", "not a JSON-RPC object")]
    [InlineData("\"hello\"", "not a JSON-RPC object")]
    [InlineData("{\"result\":[],\"error\":null,\"id\":\"x\"}", "without a numeric id")]
    [InlineData("{\"result\":[],\"error\":null}", "without a numeric id")]
    [InlineData("{\"method\":5}", "not JSON-RPC")]
    public async Task A_malformed_reply_fails_the_pending_call_at_once_instead_of_hanging(string reply, string expected)
    {
        var sw = Stopwatch.StartNew();
        var call = _client.ListDatabasesAsync();
        var peer = await _server.AcceptAsync();
        await peer.ReceiveAsync();
        await peer.SendAsync(reply);
        var ex = await Assert.ThrowsAnyAsync<OvsdbException>(() => call);
        Assert.Contains(expected, ex.Message);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(4), $"took {sw.Elapsed}: the failure must not wait for the request timeout");
    }

    [Fact]
    public async Task A_response_with_neither_result_nor_error_is_a_protocol_error_for_that_call()
    {
        var call = _client.ListDatabasesAsync();
        var peer = await _server.AcceptAsync();
        var request = await peer.ReceiveAsync();
        await peer.SendAsync($"{{\"id\":{request.GetProperty("id").GetInt64()}}}");
        var ex = await Assert.ThrowsAsync<OvsdbProtocolException>(() => call);
        Assert.Contains("neither a result nor an error", ex.Message);
    }

    [Fact]
    public async Task An_rpc_error_names_the_method_and_the_server_error()
    {
        var call = _client.TransactAsync([OvsdbOps.Comment("x")]);
        var peer = await _server.AcceptAsync();
        var request = await peer.ReceiveAsync();
        Assert.Equal("[\"Open_vSwitch\",{\"op\":\"comment\",\"comment\":\"x\"}]", request.GetProperty("params").GetRawText());
        await peer.SendAsync($"{{\"id\":{request.GetProperty("id").GetInt64()},\"result\":null,\"error\":{{\"error\":\"unknown database\",\"details\":\"get_db_name\"}}}}");
        var ex = await Assert.ThrowsAsync<OvsdbRpcException>(() => call);
        Assert.Equal("transact", ex.Method);
        Assert.Equal("unknown database: get_db_name", ex.Error);
    }

    [Fact]
    public async Task No_answer_is_a_timeout_naming_the_method()
    {
        await using var client = NewClient(TimeSpan.FromMilliseconds(300));
        var call = client.EchoAsync();
        var peer = await _server.AcceptAsync();
        await peer.ReceiveAsync();
        var ex = await Assert.ThrowsAsync<OvsdbTimeoutException>(() => call);
        Assert.Contains("'echo'", ex.Message);
    }

    [Fact]
    public async Task The_server_closing_mid_message_fails_the_call_and_the_next_call_reconnects()
    {
        var call = _client.ListDatabasesAsync();
        var peer = await _server.AcceptAsync();
        await peer.ReceiveAsync();
        await peer.SendAsync("{\"id\":1,\"resu");
        peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        peer.Socket.Close();
        var ex = await Assert.ThrowsAsync<OvsdbConnectionException>(() => call);
        Assert.Contains("in the middle of a message", ex.Message);
        Assert.True(ex.RequestSent);

        var next = _client.ListDatabasesAsync();
        var peer2 = await _server.AcceptAsync();
        var request = await peer2.ReceiveAsync();
        await peer2.SendAsync($"{{\"id\":{request.GetProperty("id").GetInt64()},\"result\":[\"Open_vSwitch\"],\"error\":null}}");
        Assert.Equal(["Open_vSwitch"], await next);
        Assert.Equal(2, _client.Connects);
    }

    [Fact]
    public async Task A_transact_error_object_names_the_failed_operation()
    {
        var ops = new List<JsonObject>
        {
            OvsdbOps.Select("Bridge", OvsdbOps.Where(), "name"),
            OvsdbOps.Insert("Port", new JsonObject { ["name"] = "p" }),
        };
        var call = _client.TransactAsync(ops);
        var peer = await _server.AcceptAsync();
        var request = await peer.ReceiveAsync();
        await peer.SendAsync($"{{\"id\":{request.GetProperty("id").GetInt64()},\"error\":null,\"result\":[{{\"rows\":[]}},{{\"error\":\"constraint violation\",\"details\":\"bad name\"}}]}}");
        var ex = await Assert.ThrowsAsync<OvsdbOperationException>(() => call);
        Assert.Equal(1, ex.OperationIndex);
        Assert.Equal("insert", ex.Operation);
        Assert.Equal("Port", ex.Table);
        Assert.Equal("constraint violation", ex.Error);
        Assert.Contains("operation #1 (insert on table Port)", ex.Message);
    }

    [Fact]
    public async Task Connecting_to_a_missing_socket_is_a_connection_error_naming_the_endpoint()
    {
        await using var client = new OvsdbClient(Options.Create(new OvsdbOptions { Connection = "unix:/nonexistent/kuryr/db.sock" }), TimeProvider.System, NullLogger<OvsdbClient>.Instance);
        var ex = await Assert.ThrowsAsync<OvsdbConnectionException>(() => client.EchoAsync());
        Assert.Contains("/nonexistent/kuryr/db.sock", ex.Message);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("/run/db.sock", "is not unix:<path> or tcp:<host>:<port>")]
    [InlineData("tcp:127.0.0.1", "is not unix:<path> or tcp:<host>:<port>")]
    public void A_bad_connection_string_is_rejected_naming_the_field(string connection, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => new OvsdbOptions { Connection = connection }.Validate());
        Assert.Contains("OvsdbOptions.Connection", ex.Message);
        Assert.Contains(expected, ex.Message);
    }
}
