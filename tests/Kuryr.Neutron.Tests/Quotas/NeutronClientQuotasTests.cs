using Kuryr.Neutron.Ports;
using Kuryr.Testing.Neutron;

namespace Kuryr.Neutron.Tests.Quotas;

[Collection(NeutronClientTestGroup.Collection)]
public sealed class NeutronClientQuotasTests : IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();

    public Task InitializeAsync() => _project.InitializeAsync();

    public Task DisposeAsync() => _project.DisposeAsync();

    [Fact]
    public async Task Quota_details_count_the_projects_ports()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.71.0.0/24");
        var before = await _project.Admin.GetQuotaDetailsAsync(_project.ProjectId);
        await _project.Admin.CreatePortsAsync([.. Enumerable.Range(0, 3).Select(_ => new PortCreate { NetworkId = network.Id })]);

        var after = await _project.Admin.GetQuotaDetailsAsync(_project.ProjectId);

        Assert.NotNull(before.Port);
        Assert.Equal(before.Port.Used + 3, after.Port!.Used);
        Assert.Equal(1, after.Network!.Used);
        Assert.True(after.Port.Limit is -1 or > 0);
        Assert.Equal(after.Port.Limit < 0 ? null : after.Port.Limit - after.Port.Used - after.Port.Reserved, after.Port.Available);
        Assert.True(after.Resources.ContainsKey("trunk"));
    }
}
