using Kuryr.Neutron.Errors;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Testing.Neutron;

namespace Kuryr.Neutron.Tests.SecurityGroups;

[Collection(NeutronClientTestGroup.Collection)]
public sealed class NeutronClientSecurityGroupsTests : IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();

    public Task InitializeAsync() => _project.InitializeAsync();

    public Task DisposeAsync() => _project.DisposeAsync();

    [Fact]
    public async Task Create_a_group_add_and_delete_a_rule_and_delete_the_group()
    {
        var admin = _project.Admin;

        var group = await admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = "kn2-sg", Description = "pods", ProjectId = _project.ProjectId });
        var rule = await admin.CreateSecurityGroupRuleAsync(new SecurityGroupRuleCreate
        {
            SecurityGroupId = group.Id,
            Direction = "ingress",
            Ethertype = "IPv4",
            Protocol = "tcp",
            PortRangeMin = 8080,
            PortRangeMax = 8081,
            RemoteIpPrefix = "10.0.0.0/8",
        });
        var fetched = await admin.GetSecurityGroupAsync(group.Id);
        var listed = await admin.ListSecurityGroupsAsync(new SecurityGroupFilter { ProjectId = _project.ProjectId, Name = "kn2-sg" }).ToListAsync();

        Assert.Equal("pods", fetched.Description);
        Assert.All(group.Rules, r => Assert.Equal("egress", r.Direction)); // Neutron's defaults
        var stored = Assert.Single(fetched.Rules, r => r.Id == rule.Id);
        Assert.Equal(("ingress", "tcp", 8080, 8081, "10.0.0.0/8"), (stored.Direction, stored.Protocol, stored.PortRangeMin, stored.PortRangeMax, stored.RemoteIpPrefix));
        Assert.Equal([group.Id], listed.Select(g => g.Id));

        Assert.True(await admin.DeleteSecurityGroupRuleAsync(rule.Id));
        Assert.False(await admin.DeleteSecurityGroupRuleAsync(rule.Id));
        Assert.DoesNotContain((await admin.GetSecurityGroupAsync(group.Id)).Rules, r => r.Id == rule.Id);
        Assert.True(await admin.DeleteSecurityGroupAsync(group.Id));
        Assert.False(await admin.DeleteSecurityGroupAsync(group.Id));
        await Assert.ThrowsAsync<NeutronNotFoundException>(() => admin.GetSecurityGroupAsync(group.Id));
    }

    [Fact]
    public async Task A_rule_direction_is_checked_before_sending() =>
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _project.Admin.CreateSecurityGroupRuleAsync(new SecurityGroupRuleCreate { SecurityGroupId = "x", Direction = "inbound" }));
}
