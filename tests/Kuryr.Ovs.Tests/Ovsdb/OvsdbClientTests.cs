using System.Text.Json.Nodes;
using Kuryr.Ovs.Ovsdb;
using Kuryr.Ovs.Ports;

namespace Kuryr.Ovs.Tests.Ovsdb;

/// <summary>The JSON-RPC client against the test bed's real ovsdb-server.</summary>
[Collection(OvsTestGroup.Name)]
public sealed class OvsdbClientTests(OvsTestBed bed) : IAsyncLifetime
{
    private readonly List<string> _names = [];
    private OvsdbClient _db = null!;

    public Task InitializeAsync()
    {
        _db = bed.NewDbClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await bed.CleanupAsync(_names);
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task List_dbs_and_echo_round_trip_on_the_real_server()
    {
        Assert.Contains("Open_vSwitch", await _db.ListDatabasesAsync());
        await _db.EchoAsync();
        Assert.Equal(1, _db.Connects);
    }

    [Fact]
    public async Task A_failing_operation_is_named_by_index_op_and_table()
    {
        var ops = new List<JsonObject>
        {
            OvsdbOps.Select("Bridge", OvsdbOps.Where(), "name"),
            OvsdbOps.Insert("Interface", new JsonObject { ["name"] = "ktbad", ["no_such_column"] = 1 }),
        };
        var ex = await Assert.ThrowsAsync<OvsdbOperationException>(() => _db.TransactAsync(ops));
        Assert.Equal(1, ex.OperationIndex);
        Assert.Equal("insert", ex.Operation);
        Assert.Equal("Interface", ex.Table);
        Assert.Contains("no_such_column", ex.Message);
    }

    [Fact]
    public async Task A_commit_failure_is_reported_as_the_commit()
    {
        // Two Ports with the same name violate the unique index at commit time.
        var ops = new List<JsonObject>
        {
            OvsdbOps.Insert("Interface", new JsonObject { ["name"] = "ktdup1" }, "i1"),
            OvsdbOps.Insert("Port", new JsonObject { ["name"] = "ktdup", ["interfaces"] = OvsdbOps.NamedUuid("i1") }, "p1"),
            OvsdbOps.Insert("Interface", new JsonObject { ["name"] = "ktdup2" }, "i2"),
            OvsdbOps.Insert("Port", new JsonObject { ["name"] = "ktdup", ["interfaces"] = OvsdbOps.NamedUuid("i2") }, "p2"),
            OvsdbOps.Mutate("Bridge", OvsdbOps.Where(OvsdbOps.Condition("name", "==", bed.Bridge)),
                OvsdbOps.Mutation("ports", "insert", OvsdbOps.Set(OvsdbOps.NamedUuid("p1"), OvsdbOps.NamedUuid("p2")))),
        };
        var ex = await Assert.ThrowsAsync<OvsdbOperationException>(() => _db.TransactAsync(ops));
        Assert.Equal("commit", ex.Operation);
        Assert.Equal(5, ex.OperationIndex);
        Assert.Equal("constraint violation", ex.Error);
        Assert.Equal("", await bed.VsctlAsync("--columns=_uuid", "find", "Port", "name=ktdup"));
    }

    [Fact]
    public async Task A_connection_dropped_by_the_server_is_reopened_and_the_next_call_works()
    {
        var ovs = bed.NewOvsClient(_db);
        Assert.True(await ovs.BridgeExistsAsync(bed.Bridge));
        Assert.Equal(1, _db.Connects);

        // ovsdb-server drops every JSON-RPC connection (what a server restart does to clients).
        var pid = (await File.ReadAllTextAsync(Path.Combine(bed.RunDir, "ovsdb-server.pid"))).Trim();
        await OvsTestBed.RunAsync("ovs-appctl", "-t", Path.Combine(bed.RunDir, $"ovsdb-server.{pid}.ctl"), "ovsdb-server/reconnect");

        var tap = OvsTestBed.UniqueName("r");
        _names.Add(tap);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && _db.Connects == 1)
        {
            await ovs.AddPortAsync(bed.Bridge, tap, OvsExternalIds.ForVif("after-drop", "fa:16:3e:00:03:00"));
        }

        Assert.Equal(2, _db.Connects);
        Assert.Equal("after-drop", await bed.VsctlAsync("get", "Interface", tap, "external_ids:iface-id"));
    }

    [Fact]
    public async Task A_connection_killed_on_the_client_side_is_reopened_by_the_next_call()
    {
        await _db.EchoAsync();
        _db.DropConnection("test");
        await _db.EchoAsync();
        Assert.Equal(2, _db.Connects);
    }

    [Fact]
    public async Task Concurrent_calls_on_one_connection_are_matched_to_their_own_responses()
    {
        var tasks = Enumerable.Range(0, 50).Select(i => _db.TransactAsync(
            [OvsdbOps.Select("Bridge", OvsdbOps.Where(OvsdbOps.Condition("name", "==", i % 2 == 0 ? bed.Bridge : "ktnone")), "name")]));
        var results = await Task.WhenAll(tasks);
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? 1 : 0, results[i][0].GetProperty("rows").GetArrayLength());
        }

        Assert.Equal(1, _db.Connects);
    }
}
