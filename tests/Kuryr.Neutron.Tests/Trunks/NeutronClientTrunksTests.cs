using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Trunks;
using Kuryr.Testing.Neutron;

namespace Kuryr.Neutron.Tests.Trunks;

/// <summary>Trunks against the real neutron-server.</summary>
[Collection(NeutronClientTestGroup.Collection)]
public sealed class NeutronClientTrunksTests : IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();

    public Task InitializeAsync() => _project.InitializeAsync();

    public Task DisposeAsync() => _project.DisposeAsync();

    private INeutronClient Admin => _project.Admin;

    [Fact]
    public async Task Subports_added_and_removed_show_in_the_trunk_and_the_parents_trunk_details()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.90.0.0/24");
        var ports = await Admin.CreatePortsAsync([.. Enumerable.Range(0, 3).Select(_ => new PortCreate { NetworkId = network.Id })]);
        var (parent, child1, child2) = (ports[0], ports[1], ports[2]);
        var trunk = await Admin.CreateTrunkAsync(new TrunkCreate { PortId = parent.Id, Name = "kn2-trunk" });

        var afterAdd = await Admin.AddSubportsAsync(trunk.Id, [new SubPort(child1.Id, 101), new SubPort(child2.Id, 102)]);

        Assert.Equal(parent.Id, trunk.PortId);
        Assert.Equal([(child1.Id, 101), (child2.Id, 102)], afterAdd.SubPorts.OrderBy(s => s.SegmentationId).Select(s => (s.PortId, s.SegmentationId)));
        var fetched = await Admin.GetTrunkAsync(trunk.Id);
        Assert.Equal(afterAdd.SubPorts.OrderBy(s => s.SegmentationId), fetched.SubPorts.OrderBy(s => s.SegmentationId));
        Assert.Equal(afterAdd.SubPorts.OrderBy(s => s.SegmentationId), (await Admin.GetSubportsAsync(trunk.Id)).OrderBy(s => s.SegmentationId));
        var details = (await Admin.GetPortAsync(parent.Id)).TrunkDetails;
        Assert.NotNull(details);
        Assert.Equal(trunk.Id, details.TrunkId);
        var detail1 = Assert.Single(details.SubPorts, s => s.PortId == child1.Id);
        Assert.Equal(101, detail1.SegmentationId);
        Assert.Equal("vlan", detail1.SegmentationType);
        Assert.Equal(child1.MacAddress, detail1.MacAddress);

        var afterRemove = await Admin.RemoveSubportsAsync(trunk.Id, [child1.Id]);

        Assert.Equal([child2.Id], afterRemove.SubPorts.Select(s => s.PortId));
        Assert.Equal([child2.Id], (await Admin.GetTrunkAsync(trunk.Id)).SubPorts.Select(s => s.PortId));
        Assert.Equal([child2.Id], (await Admin.GetPortAsync(parent.Id)).TrunkDetails!.SubPorts.Select(s => s.PortId));
    }

    [Fact]
    public async Task A_vlan_id_already_used_on_the_trunk_is_a_conflict()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.91.0.0/24");
        var ports = await Admin.CreatePortsAsync([.. Enumerable.Range(0, 3).Select(_ => new PortCreate { NetworkId = network.Id })]);
        var trunk = await Admin.CreateTrunkAsync(new TrunkCreate { PortId = ports[0].Id, SubPorts = [new SubPort(ports[1].Id, 200)] });

        var e = await Assert.ThrowsAsync<NeutronConflictException>(() => Admin.AddSubportsAsync(trunk.Id, [new SubPort(ports[2].Id, 200)]));

        Assert.Equal(409, e.StatusCode);
        Assert.Equal("DuplicateSubPort", e.ErrorType);
        Assert.Equal("add_subports", e.Operation);
        Assert.Equal([ports[1].Id], (await Admin.GetTrunkAsync(trunk.Id)).SubPorts.Select(s => s.PortId));
    }

    [Fact]
    public async Task Removing_a_port_that_is_not_a_subport_is_not_found()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.92.0.0/24");
        var ports = await Admin.CreatePortsAsync([.. Enumerable.Range(0, 2).Select(_ => new PortCreate { NetworkId = network.Id })]);
        var trunk = await Admin.CreateTrunkAsync(new TrunkCreate { PortId = ports[0].Id });

        var e = await Assert.ThrowsAsync<NeutronNotFoundException>(() => Admin.RemoveSubportsAsync(trunk.Id, [ports[1].Id]));

        Assert.Equal("SubPortNotFound", e.ErrorType);
    }

    [Fact]
    public async Task Trunks_are_listed_by_parent_port_and_deleted_once()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.93.0.0/24");
        var ports = await Admin.CreatePortsAsync([.. Enumerable.Range(0, 2).Select(_ => new PortCreate { NetworkId = network.Id })]);
        var t1 = await Admin.CreateTrunkAsync(new TrunkCreate { PortId = ports[0].Id });
        var t2 = await Admin.CreateTrunkAsync(new TrunkCreate { PortId = ports[1].Id });

        var byParent = await Admin.ListTrunksAsync(new TrunkFilter { PortId = ports[1].Id }).Select(t => t.Id).ToListAsync();
        var inProject = await Admin.ListTrunksAsync(new TrunkFilter { ProjectId = _project.ProjectId }).Select(t => t.Id).ToListAsync();

        Assert.Equal([t2.Id], byParent);
        Assert.Equal(new[] { t1.Id, t2.Id }.Order(), inProject.Order());
        Assert.True(await Admin.DeleteTrunkAsync(t1.Id));
        Assert.False(await Admin.DeleteTrunkAsync(t1.Id));
        await Assert.ThrowsAsync<NeutronNotFoundException>(() => Admin.GetTrunkAsync(t1.Id));
    }
}
