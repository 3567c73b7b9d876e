using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Subnets;
using Kuryr.Testing.Neutron;

namespace Kuryr.Neutron.Tests.Subnets;

[Collection(NeutronClientTestGroup.Collection)]
public sealed class NeutronClientSubnetsTests : IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();

    public Task InitializeAsync() => _project.InitializeAsync();

    public Task DisposeAsync() => _project.DisposeAsync();

    [Fact]
    public async Task Create_get_list_and_delete_a_subnet()
    {
        var admin = _project.Admin;
        var (network, first) = await _project.CreateNetworkAsync("10.60.0.0/24");

        var created = await admin.CreateSubnetAsync(new SubnetCreate
        {
            NetworkId = network.Id,
            Cidr = "10.61.0.0/24",
            Name = "kn2-s2",
            GatewayIp = "10.61.0.254",
            DnsNameservers = ["10.0.0.53"],
            HostRoutes = [new HostRoute { Destination = "192.168.0.0/16", Nexthop = "10.61.0.1" }],
            AllocationPools = [new AllocationPool { Start = "10.61.0.10", End = "10.61.0.20" }],
            EnableDhcp = false,
        });
        var fetched = await admin.GetSubnetAsync(created.Id);
        var byCidr = await admin.ListSubnetsAsync(new SubnetFilter { NetworkId = network.Id, Cidr = "10.61.0.0/24" }).ToListAsync();

        Assert.Equal(network.Id, fetched.NetworkId);
        Assert.Equal(4, fetched.IpVersion);
        Assert.Equal("10.61.0.254", fetched.GatewayIp);
        Assert.Equal(["10.0.0.53"], fetched.DnsNameservers);
        Assert.Equal("10.61.0.1", Assert.Single(fetched.HostRoutes).Nexthop);
        Assert.Equal(new AllocationPool { Start = "10.61.0.10", End = "10.61.0.20" }, Assert.Single(fetched.AllocationPools));
        Assert.False(fetched.EnableDhcp);
        Assert.Equal([created.Id], byCidr.Select(s => s.Id));
        Assert.Equal(new[] { first.Id, created.Id }.Order(), (await admin.GetNetworkAsync(network.Id)).Subnets.Order());
        Assert.True(await admin.DeleteSubnetAsync(created.Id));
        Assert.False(await admin.DeleteSubnetAsync(created.Id));
        await Assert.ThrowsAsync<NeutronNotFoundException>(() => admin.GetSubnetAsync(created.Id));
    }

    [Fact]
    public async Task An_overlapping_cidr_is_a_bad_request_naming_neutrons_error()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.62.0.0/24");

        var e = await Assert.ThrowsAsync<NeutronBadRequestException>(() =>
            _project.Admin.CreateSubnetAsync(new SubnetCreate { NetworkId = network.Id, Cidr = "10.62.0.128/25" }));

        Assert.Equal(400, e.StatusCode);
        Assert.NotNull(e.ErrorType);
    }
}
