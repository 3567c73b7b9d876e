using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Subnets;
using Kuryr.Pools.Drivers.Neutron;
using Kuryr.Pools.State;
using Kuryr.Pools.Tests.Manager;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Pools.Tests.Drivers.Neutron;

/// <summary>The neutron pool driver on the REAL neutron-server (through a counting FaultProxy).</summary>
[Collection(VifPoolManagerTests.Collection)]
public sealed class NeutronPoolDriverTests(RedisTestBed redis) : IClassFixture<RedisTestBed>, IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();
    private readonly string _host = "knp-drv-" + Guid.NewGuid().ToString("N")[..8];
    private Network _network = null!;
    private Subnet _subnet = null!;

    public async Task InitializeAsync()
    {
        await _project.InitializeAsync();
        await _project.Bed.RegisterOvsAgentAsync(_host);
        (_network, _subnet) = await _project.CreateNetworkAsync("10.79.0.0/24");
    }

    public Task DisposeAsync() => _project.DisposeAsync();

    [Fact]
    public async Task Bug_empty_security_group_set_removed_every_group_update_port_with_an_empty_set_is_refused()
    {
        await using var h = await PoolsHarness.StartAsync(_project, redis, RedisTestBed.UniquePrefix("drv"), o => o.PortsPoolMin = 0);
        var driver = h.Services.GetRequiredService<NeutronPoolDriver>();
        var pool = new PoolKey(_host, _project.ProjectId, _network.Id);
        var port = (await driver.CreatePortsAsync(new PoolTarget(pool, driver.Name, _host, _subnet.Id, SecurityGroupSet.Default), 1, default))[0];
        var groupsBefore = (await _project.Admin.GetPortAsync(port.PortId)).SecurityGroups;
        h.Proxy.ResetCounts();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => driver.UpdateSecurityGroupsAsync(port.PortId, SecurityGroupSet.Default, default));

        Assert.Equal("securityGroups", e.ParamName);
        Assert.Equal(0, h.Proxy.Count(r => r.Method == "PUT"));
        Assert.NotEmpty(groupsBefore);
        Assert.Equal(groupsBefore, (await _project.Admin.GetPortAsync(port.PortId)).SecurityGroups);
    }
}
