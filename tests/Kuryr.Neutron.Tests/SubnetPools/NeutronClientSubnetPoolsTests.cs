using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Serialization;
using Kuryr.Neutron.SubnetPools;
using Kuryr.Neutron.Subnets;
using Kuryr.Testing.Neutron;

namespace Kuryr.Neutron.Tests.SubnetPools;

/// <summary>Subnet pools and network/subnet tags against the real neutron-server.</summary>
[Collection(NeutronClientTestGroup.Collection)]
public sealed class NeutronClientSubnetPoolsTests : IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();

    public Task InitializeAsync() => _project.InitializeAsync();

    public Task DisposeAsync() => _project.DisposeAsync();

    [Fact]
    public async Task A_subnet_pool_hands_out_a_subnet_of_its_default_prefix_length_then_is_deleted()
    {
        var admin = _project.Admin;
        var pool = await admin.CreateSubnetPoolAsync(new SubnetPoolCreate
        {
            Name = "knp-pool",
            Prefixes = ["10.93.0.0/16"],
            DefaultPrefixLength = 26,
            ProjectId = _project.ProjectId,
        });
        Network? network = null;
        try
        {
            network = await admin.CreateNetworkAsync(new NetworkCreate { Name = "knp-pool-net", ProjectId = _project.ProjectId });

            var subnet = await admin.CreateSubnetAsync(new SubnetCreate { NetworkId = network.Id, SubnetpoolId = pool.Id, ProjectId = _project.ProjectId });
            var fetched = await admin.GetSubnetPoolAsync(pool.Id);
            var listed = await admin.ListSubnetPoolsAsync(new SubnetPoolFilter { ProjectId = _project.ProjectId, IpVersion = 4 }).ToListAsync();

            Assert.Equal(pool.Id, subnet.SubnetpoolId);
            Assert.StartsWith("10.93.", subnet.Cidr, StringComparison.Ordinal);
            Assert.EndsWith("/26", subnet.Cidr, StringComparison.Ordinal);
            Assert.Equal(4, fetched.IpVersion);
            Assert.Equal(26, fetched.DefaultPrefixLength);
            Assert.Equal(["10.93.0.0/16"], fetched.Prefixes);
            Assert.Equal([pool.Id], listed.Select(p => p.Id));
        }
        finally
        {
            if (network is not null)
            {
                await admin.DeleteNetworkAsync(network.Id);
            }

            Assert.True(await admin.DeleteSubnetPoolAsync(pool.Id));
        }

        Assert.False(await admin.DeleteSubnetPoolAsync(pool.Id));
    }

    [Fact]
    public async Task A_subnet_pool_without_prefixes_is_refused_naming_the_field_before_anything_is_sent()
    {
        var e = await Assert.ThrowsAnyAsync<ArgumentException>(() => _project.Admin.CreateSubnetPoolAsync(new SubnetPoolCreate { Name = "x" }));

        Assert.Contains("subnetpool.prefixes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Network_and_subnet_tags_are_replaced_and_filterable()
    {
        var admin = _project.Admin;
        var (network, subnet) = await _project.CreateNetworkAsync("10.94.0.0/24");

        var netTags = await admin.SetNetworkTagsAsync(network.Id, ["kuryr.node.cluster=t", "extra"]);
        var subnetTags = await admin.SetSubnetTagsAsync(subnet.Id, ["kuryr.node.cluster=t"]);
        var byTag = await admin.ListNetworksAsync(new NetworkFilter { ProjectId = _project.ProjectId, Tags = ["kuryr.node.cluster=t"] }).ToListAsync();
        var replaced = await admin.SetNetworkTagsAsync(network.Id, ["only"]);

        Assert.Equal(["extra", "kuryr.node.cluster=t"], netTags.Order());
        Assert.Equal(["kuryr.node.cluster=t"], subnetTags);
        Assert.Equal([network.Id], byTag.Select(n => n.Id));
        Assert.Equal(["only"], replaced);
        Assert.Equal(["only"], (await admin.GetNetworkAsync(network.Id)).Tags);
        Assert.Equal(["kuryr.node.cluster=t"], (await admin.GetSubnetAsync(subnet.Id)).Tags);
    }
}
