using System.Text.Json;
using Kuryr.Pools.Management;
using Kuryr.Pools.Manager;
using Kuryr.Pools.State;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.PoolCtl.Tests.Management;

/// <summary><c>populate</c> and <c>free</c> through the REAL management server on its unix socket (real
/// Redis, real neutron-server), and every refusal it can answer.</summary>
[Collection(Collection)]
public sealed class PopulateFreeTests(RedisTestBed redis) : PoolCtlTestBase(redis), IClassFixture<RedisTestBed>
{
    private sealed class NotRecovered : IPoolReadiness
    {
        public bool IsReady => false;

        public void MarkRecovered()
        {
            // Stays not ready: the test wants the 503 of a controller still recovering.
        }
    }

    [Fact]
    public async Task Populate_then_free_change_the_pool_in_Redis_and_the_ports_in_Neutron()
    {
        await using var bed = await StartAsync();

        var populated = await bed.RunAsync("populate", bed.Pool.Id, "--ports", "2", "--subnet-id", Subnet.Id, "--node", Host);

        Assert.Equal("", populated.Err);
        Assert.Equal(0, populated.Code);
        Assert.Equal($"Pool {bed.Pool.Id} (driver neutron): 2 of 2 ports created.", populated.Out.TrimEnd());
        var snapshot = await bed.Store.ReadAsync(bed.Pool);
        Assert.Equal(2, snapshot.Count(PortState.Available));
        Assert.Equal(snapshot.States.Keys.Order(), (await Project.ListPortsAsync(Network.Id)).Select(p => p.Id).Order());

        var json = await bed.RunAsync("populate", bed.Pool.Id, "--ports", "1", "--subnet-id", Subnet.Id, "-o", "json");
        Assert.Equal(0, json.Code);
        using (var doc = JsonDocument.Parse(json.Out))
        {
            Assert.Equal(bed.Pool.Id, doc.RootElement.GetProperty("pool").GetString());
            Assert.Equal("neutron", doc.RootElement.GetProperty("driver").GetString());
            Assert.Equal(1, doc.RootElement.GetProperty("created").GetInt32());
        }

        Assert.Equal(3, (await bed.Store.ReadAsync(bed.Pool)).Count(PortState.Available));
        var taken = await bed.TakeAsync("pod-keep");

        var freed = await bed.RunAsync("free", bed.Pool.Id, "-o", "json");

        Assert.Equal(0, freed.Code);
        using (var doc = JsonDocument.Parse(freed.Out))
        {
            Assert.Equal(2, doc.RootElement.GetProperty("deleted").GetInt32());
        }

        snapshot = await bed.Store.ReadAsync(bed.Pool);
        Assert.Equal(0, snapshot.Count(PortState.Available));
        Assert.Equal(PortState.Assigned, Assert.Single(snapshot.States).Value);
        Assert.Equal(taken.PortId, Assert.Single(await Project.ListPortsAsync(Network.Id)).Id);
    }

    [Fact]
    public async Task Populate_with_security_groups_fills_their_bucket()
    {
        var sg = await Project.Admin.CreateSecurityGroupAsync(new Kuryr.Neutron.SecurityGroups.SecurityGroupCreate { Name = "knpc-sg2", ProjectId = Project.ProjectId });
        await using var bed = await StartAsync();

        var run = await bed.RunAsync("populate", bed.Pool.Id, "--ports", "1", "--subnet-id", Subnet.Id, "--security-group", sg.Id);

        Assert.Equal(0, run.Code);
        var snapshot = await bed.Store.ReadAsync(bed.Pool);
        Assert.Single(snapshot.AvailableByBucket[sg.Id]);
        Assert.Equal([sg.Id], Assert.Single(await Project.ListPortsAsync(Network.Id)).SecurityGroups);
    }

    [Fact]
    public async Task A_controller_that_is_not_the_leader_makes_populate_and_free_fail_saying_to_use_the_leaders_socket()
    {
        await using var bed = await StartAsync(s => s.AddSingleton(ManagementGate.FromLeader(() => false)));

        var populate = await bed.RunAsync("populate", bed.Pool.Id, "--ports", "1", "--subnet-id", Subnet.Id);
        var free = await bed.RunAsync("free", bed.Pool.Id);

        Assert.Equal(1, populate.Code);
        Assert.StartsWith("kuryr-poolctl: this controller is not the leader; run it against the leader's socket", populate.Err, StringComparison.Ordinal);
        Assert.Contains(bed.SocketPath, populate.Err, StringComparison.Ordinal);
        Assert.Equal("", populate.Out);
        Assert.Equal(1, free.Code);
        Assert.Contains("not the leader", free.Err, StringComparison.Ordinal);
        Assert.Empty(await Project.ListPortsAsync(Network.Id));
    }

    [Fact]
    public async Task A_controller_whose_pools_are_not_recovered_refuses_populate_saying_so()
    {
        await using var bed = await StartAsync(s => s.AddSingleton<IPoolReadiness>(new NotRecovered()));

        var run = await bed.RunAsync("populate", bed.Pool.Id, "--ports", "1", "--subnet-id", Subnet.Id);

        Assert.Equal(1, run.Code);
        Assert.Contains("cannot change pools now", run.Err, StringComparison.Ordinal);
        Assert.Contains("not recovered yet", run.Err, StringComparison.Ordinal);
        Assert.Empty(await Project.ListPortsAsync(Network.Id));
    }

    [Fact]
    public async Task A_field_the_API_refuses_is_passed_through_naming_the_option_and_the_field()
    {
        await using var bed = await StartAsync();
        var missing = Guid.NewGuid().ToString();

        var run = await bed.RunAsync("populate", bed.Pool.Id, "--ports", "1", "--subnet-id", missing);

        Assert.Equal(2, run.Code);
        Assert.Equal($"kuryr-poolctl: --subnet-id (subnetId): subnet {missing} does not exist in Neutron", run.Err.TrimEnd());
        Assert.Empty(await Project.ListPortsAsync(Network.Id));
    }

    [Fact]
    public async Task Freeing_an_unknown_pool_fails_naming_it_and_how_to_list_the_pools()
    {
        await using var bed = await StartAsync();

        var run = await bed.RunAsync("free", bed.Pool.Id);

        Assert.Equal(1, run.Code);
        Assert.Equal($"kuryr-poolctl: pool {bed.Pool.Id} not found; list the pools with 'kuryr-poolctl list'", run.Err.TrimEnd());
    }

    [Fact]
    public async Task A_stale_socket_file_nobody_listens_on_fails_naming_the_path_and_that_the_controller_may_not_run_there()
    {
        await using var bed = await StartAsync();
        var stale = Path.Combine(Path.GetTempPath(), "knpc-stale-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        // Bound but not listening, as the file a dead process left (.NET removes it at dispose).
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(stale));
        Assert.True(File.Exists(stale));

        var run = await bed.RunAsync("--socket", stale, "populate", bed.Pool.Id, "--ports", "1", "--subnet-id", Subnet.Id);

        Assert.Equal(1, run.Code);
        Assert.Equal($"kuryr-poolctl: nobody listens on management socket {stale}: kuryr-controller may not run on this host (a stale socket file?)", run.Err.TrimEnd());
        Assert.Empty(await Project.ListPortsAsync(Network.Id));
    }
}
