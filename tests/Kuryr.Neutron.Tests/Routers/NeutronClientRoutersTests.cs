using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Routers;
using Kuryr.Testing.Neutron;

namespace Kuryr.Neutron.Tests.Routers;

[Collection(NeutronClientTestGroup.Collection)]
public sealed class NeutronClientRoutersTests : IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();

    public Task InitializeAsync() => _project.InitializeAsync();

    public Task DisposeAsync() => _project.DisposeAsync();

    [Fact]
    public async Task A_router_interface_is_added_on_a_subnet_and_removed()
    {
        var admin = _project.Admin;
        var (_, subnet) = await _project.CreateNetworkAsync("10.70.0.0/24");
        var router = await admin.CreateRouterAsync(new RouterCreate { Name = "kn2-router", ProjectId = _project.ProjectId });

        var added = await admin.AddRouterInterfaceAsync(router.Id, subnet.Id);

        Assert.Equal(router.Id, added.Id);
        Assert.Equal(subnet.Id, added.SubnetId);
        var routerPort = await admin.GetPortAsync(added.PortId);
        Assert.Equal(router.Id, routerPort.DeviceId);
        Assert.Equal("network:router_interface", routerPort.DeviceOwner);
        Assert.Equal(subnet.GatewayIp, Assert.Single(routerPort.FixedIps).IpAddress);
        Assert.Equal([added.PortId], await admin.ListPortsAsync(new PortFilter { DeviceId = router.Id }).Select(p => p.Id).ToListAsync());

        var removed = await admin.RemoveRouterInterfaceAsync(router.Id, subnet.Id);

        Assert.Equal(added.PortId, removed.PortId);
        await Assert.ThrowsAsync<NeutronNotFoundException>(() => admin.GetPortAsync(added.PortId));
        await Assert.ThrowsAsync<NeutronNotFoundException>(() => admin.RemoveRouterInterfaceAsync(router.Id, subnet.Id));
        Assert.Equal([router.Id], await admin.ListRoutersAsync(new RouterFilter { ProjectId = _project.ProjectId }).Select(r => r.Id).ToListAsync());
        Assert.Equal("kn2-router", (await admin.GetRouterAsync(router.Id)).Name);
        Assert.True(await admin.DeleteRouterAsync(router.Id));
        Assert.False(await admin.DeleteRouterAsync(router.Id));
    }
}
