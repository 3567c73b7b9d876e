using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Networks;
using Kuryr.Testing.Neutron;

namespace Kuryr.Neutron.Tests.Networks;

[Collection(NeutronClientTestGroup.Collection)]
public sealed class NeutronClientNetworksTests : IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();

    public Task InitializeAsync() => _project.InitializeAsync();

    public Task DisposeAsync() => _project.DisposeAsync();

    [Fact]
    public async Task Create_get_list_and_delete_a_network()
    {
        var admin = _project.Admin;

        var created = await admin.CreateNetworkAsync(new NetworkCreate { Name = "kn2-a", ProjectId = _project.ProjectId, Mtu = 1400, Description = "d" });
        await admin.CreateNetworkAsync(new NetworkCreate { Name = "kn2-b", ProjectId = _project.ProjectId });
        var fetched = await admin.GetNetworkAsync(created.Id);
        var byName = await admin.ListNetworksAsync(new NetworkFilter { ProjectId = _project.ProjectId, Name = "kn2-a" }).ToListAsync();

        Assert.Equal("kn2-a", fetched.Name);
        Assert.Equal(1400, fetched.Mtu);
        Assert.Equal("d", fetched.Description);
        Assert.Equal(_project.ProjectId, fetched.ProjectId);
        Assert.NotNull(fetched.ProviderNetworkType);
        Assert.Equal([created.Id], byName.Select(n => n.Id));
        Assert.Equal(2, await admin.ListNetworksAsync(new NetworkFilter { ProjectId = _project.ProjectId }).CountAsync());
        Assert.True(await admin.DeleteNetworkAsync(created.Id));
        Assert.False(await admin.DeleteNetworkAsync(created.Id));
        var e = await Assert.ThrowsAsync<NeutronNotFoundException>(() => admin.GetNetworkAsync(created.Id));
        Assert.Equal("NetworkNotFound", e.ErrorType);
    }
}
