using Kuryr.Neutron.Ports;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.Macvlan;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Vifs;
using Kuryr.Vifs.Model;

namespace Kuryr.Pools.Tests.Drivers.Macvlan;

/// <summary>The nested-macvlan port maker against the REAL neutron-server: ports, the VM port's
/// allowed_address_pairs, If-Match revisions and their 412s are Neutron's own.</summary>
[Collection(NeutronTestProject.Collection)]
public sealed class MacvlanPodVifDriverTests(MacvlanBed bed) : IClassFixture<MacvlanBed>
{
    private static bool HasPair(IReadOnlyList<AllowedAddressPair> pairs, Port port) =>
        port.FixedIps.All(ip => pairs.Any(p => p.IpAddress == ip.IpAddress && string.Equals(p.MacAddress, port.MacAddress, StringComparison.OrdinalIgnoreCase)));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_makes_a_tagged_port_and_allows_its_ip_and_mac_on_the_vm_port(bool trunkParent)
    {
        var node = await bed.Nested.CreateNodeAsync(withTrunk: trunkParent);
        var driver = bed.CreateDriver();

        var created = Assert.Single(await driver.CreatePortsAsync(bed.Target(node), 1, CancellationToken.None));

        var port = await bed.Admin.GetPortAsync(created.PortId);
        Assert.Equal("compute:kuryr", port.DeviceOwner);
        Assert.True(bed.Nested.Ownership.IsOurs(port.Tags));
        Assert.Contains(MacvlanPodVifDriver.MarkerTag, port.Tags);
        Assert.Contains(MacvlanPodVifDriver.VmPortTagPrefix + node.ParentPortId, port.Tags);
        Assert.Equal(bed.Nested.PodNetwork.Id, port.NetworkId);

        var vif = Assert.IsType<VifMacvlanNested>(VifJson.Deserialize(created.VifJson));
        Assert.Equal(port.Id, vif.Id);
        Assert.Equal(port.MacAddress, vif.Address);
        Assert.Equal("noop", vif.Plugin);
        Assert.Equal(("tap" + port.Id)[..14], vif.VifName);
        Assert.Equal(port.FixedIps[0].IpAddress, vif.Network!.Subnets!.Items.Single().Ips!.Items.Single().Address);

        var pairs = await bed.PairsAsync(node);
        Assert.True(HasPair(pairs, port), $"VM port pairs: {string.Join(", ", pairs.Select(p => p.IpAddress + "/" + p.MacAddress))}");
        Assert.Single(pairs);
    }

    [Fact]
    public async Task Delete_removes_only_its_pair_then_the_port_and_a_second_delete_is_fine()
    {
        var node = await bed.Nested.CreateNodeAsync();
        var driver = bed.CreateDriver();
        var target = bed.Target(node);
        var first = Assert.Single(await driver.CreatePortsAsync(target, 1, CancellationToken.None));
        var second = Assert.Single(await driver.CreatePortsAsync(target, 1, CancellationToken.None));
        var secondPort = await bed.Admin.GetPortAsync(second.PortId);

        await driver.DeletePortsAsync(target.Pool, [first.PortId], CancellationToken.None);

        await Assert.ThrowsAsync<Kuryr.Neutron.Errors.NeutronNotFoundException>(() => bed.Admin.GetPortAsync(first.PortId));
        var pairs = await bed.PairsAsync(node);
        Assert.Single(pairs);
        Assert.True(HasPair(pairs, secondPort));

        await driver.DeletePortsAsync(target.Pool, [first.PortId], CancellationToken.None); // already gone
        await driver.DeletePortsAsync(target.Pool, [second.PortId], CancellationToken.None);
        Assert.Empty(await bed.PairsAsync(node));
    }

    [Fact]
    public async Task A_revision_conflict_between_the_read_and_the_write_is_retried_and_keeps_the_other_change()
    {
        var node = await bed.Nested.CreateNodeAsync();
        var driver = bed.CreateDriver();
        var conflicts = 0;
        driver.BeforePairsUpdate = async vmPort =>
        {
            if (Interlocked.Increment(ref conflicts) == 1)
            {
                await bed.Admin.UpdatePortAsync(vmPort, new PortUpdate { Description = "changed-by-someone-else" });
            }
        };
        bed.Nested.Proxy.ResetCounts();

        var created = Assert.Single(await driver.CreatePortsAsync(bed.Target(node), 1, CancellationToken.None));

        Assert.Equal(2, conflicts);
        Assert.Equal(2, bed.Nested.Proxy.Count("PUT", "/ports/" + node.ParentPortId + "$"));
        var vm = await bed.Admin.GetPortAsync(node.ParentPortId);
        Assert.Equal("changed-by-someone-else", vm.Description);
        Assert.True(HasPair(vm.AllowedAddressPairs, await bed.Admin.GetPortAsync(created.PortId)));
    }

    [Fact]
    public async Task Conflicts_on_every_attempt_fail_naming_the_vm_port_and_leave_no_port()
    {
        var node = await bed.Nested.CreateNodeAsync();
        var driver = bed.CreateDriver(revUpdateAttempts: 3);
        var writes = 0;
        driver.BeforePairsUpdate = async vmPort =>
        {
            writes++;
            await bed.Admin.UpdatePortAsync(vmPort, new PortUpdate { Description = "busy-" + writes });
        };
        var before = (await bed.OurPodPortsAsync()).Select(p => p.Id).ToHashSet();

        var e = await Assert.ThrowsAsync<PoolDriverException>(() => driver.CreatePortsAsync(bed.Target(node), 1, CancellationToken.None));

        Assert.Contains(node.ParentPortId, e.Message, StringComparison.Ordinal);
        Assert.Contains(node.HostIp, e.Message, StringComparison.Ordinal);
        Assert.Contains("rev_update_attempts", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, writes);
        Assert.DoesNotContain(await bed.OurPodPortsAsync(), p => !before.Contains(p.Id));
        Assert.Empty(await bed.PairsAsync(node));
    }

    [Fact]
    public async Task Ten_concurrent_creates_on_one_vm_port_all_land()
    {
        var node = await bed.Nested.CreateNodeAsync(withTrunk: true);
        var driver = bed.CreateDriver();
        var target = bed.Target(node);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => driver.CreatePortsAsync(target, 1, CancellationToken.None))));

        var pairs = await bed.PairsAsync(node);
        Assert.Equal(10, pairs.Count);
        foreach (var r in results)
        {
            Assert.True(HasPair(pairs, await bed.Admin.GetPortAsync(Assert.Single(r).PortId)));
        }

        await Task.WhenAll(results.Select(r => Task.Run(() => driver.DeletePortsAsync(target.Pool, [r[0].PortId], CancellationToken.None))));
        Assert.Empty(await bed.PairsAsync(node));
    }

    [Fact]
    public async Task Two_writers_of_one_vm_port_race_through_if_match_and_every_pair_lands()
    {
        // Two drivers = two controllers: their updates are not serialised by a local lock, so
        // Neutron's 412s are what keeps one from overwriting the other's pairs.
        var node = await bed.Nested.CreateNodeAsync();
        var first = bed.CreateDriver(revUpdateAttempts: 20);
        var second = bed.CreateDriver(revUpdateAttempts: 20);
        var target = bed.Target(node);
        bed.Nested.Proxy.ResetCounts();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).CreatePortsAsync(target, 1, CancellationToken.None))));

        var pairs = await bed.PairsAsync(node);
        Assert.Equal(6, pairs.Count);
        foreach (var r in results)
        {
            Assert.True(HasPair(pairs, await bed.Admin.GetPortAsync(Assert.Single(r).PortId)));
        }
    }

    [Fact]
    public async Task A_node_ip_without_a_vm_port_is_an_error_naming_the_ip_and_creates_nothing()
    {
        var driver = bed.CreateDriver();
        var target = bed.Target("10.66.0.250");
        bed.Nested.Proxy.ResetCounts();

        var e = await Assert.ThrowsAsync<PoolDriverException>(() => driver.CreatePortsAsync(target, 1, CancellationToken.None));

        Assert.Contains("10.66.0.250", e.Message, StringComparison.Ordinal);
        Assert.Contains("worker_nodes_subnets", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, bed.Nested.Proxy.Count("POST", "/ports$"));
    }

    [Fact]
    public async Task A_vm_port_outside_the_worker_subnets_is_not_taken_for_the_node()
    {
        var outside = await bed.Nested.CreateNodeAsync(bed.Nested.OtherSubnet, withTrunk: false);
        var driver = bed.CreateDriver();

        var e = await Assert.ThrowsAsync<PoolDriverException>(() => driver.CreatePortsAsync(bed.Target(outside), 1, CancellationToken.None));

        Assert.Contains(outside.HostIp, e.Message, StringComparison.Ordinal);
        Assert.Contains(outside.ParentPortId, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_finds_our_ports_restores_a_missing_pair_and_removes_a_stale_one()
    {
        var node = await bed.Nested.CreateNodeAsync();
        var driver = bed.CreateDriver();
        var target = bed.Target(node);
        var kept = Assert.Single(await driver.CreatePortsAsync(target, 1, CancellationToken.None));
        var lost = Assert.Single(await driver.CreatePortsAsync(target, 1, CancellationToken.None));
        var keptPort = await bed.Admin.GetPortAsync(kept.PortId);
        var lostPort = await bed.Admin.GetPortAsync(lost.PortId);
        var vmMac = (await bed.Admin.GetPortAsync(node.ParentPortId)).MacAddress;

        // A crash between the port create and the pair update (the lost pair), a port deleted by
        // hand without its pair (the stale one), and an operator's VIP on the VM's own MAC.
        await bed.Admin.UpdatePortAsync(node.ParentPortId, new PortUpdate
        {
            AllowedAddressPairs =
            [
                new AllowedAddressPair { IpAddress = keptPort.FixedIps[0].IpAddress!, MacAddress = keptPort.MacAddress },
                new AllowedAddressPair { IpAddress = "10.77.0.240", MacAddress = "fa:16:3e:00:de:ad" },
                new AllowedAddressPair { IpAddress = "10.66.0.240", MacAddress = vmMac },
            ],
        });

        var found = await bed.CreateDriver().DiscoverAsync(CancellationToken.None);

        var ours = found.Where(d => d.PortId == kept.PortId || d.PortId == lost.PortId).ToList();
        Assert.Equal(2, ours.Count);
        Assert.All(ours, d => Assert.Equal(target.Pool, d.Pool));
        Assert.All(ours, d => Assert.True(d.Tagged));
        Assert.IsType<VifMacvlanNested>(VifJson.Deserialize(ours[0].VifJson));
        var pairs = await bed.PairsAsync(node);
        Assert.True(HasPair(pairs, keptPort));
        Assert.True(HasPair(pairs, lostPort));
        Assert.DoesNotContain(pairs, p => p.IpAddress == "10.77.0.240");
        Assert.Contains(pairs, p => p.IpAddress == "10.66.0.240");
        Assert.Equal(3, pairs.Count);

        await driver.DeletePortsAsync(target.Pool, [kept.PortId, lost.PortId], CancellationToken.None);
        Assert.Equal("10.66.0.240", Assert.Single(await bed.PairsAsync(node)).IpAddress);
    }

    [Fact]
    public async Task A_port_whose_vm_port_is_gone_is_not_discovered_and_its_delete_still_works()
    {
        var node = await bed.Nested.CreateNodeAsync(withTrunk: false);
        var driver = bed.CreateDriver();
        var target = bed.Target(node);
        var created = Assert.Single(await driver.CreatePortsAsync(target, 1, CancellationToken.None));
        await bed.Admin.DeletePortAsync(node.ParentPortId);

        var found = await bed.CreateDriver().DiscoverAsync(CancellationToken.None);
        Assert.DoesNotContain(found, d => d.PortId == created.PortId);

        await driver.DeletePortsAsync(target.Pool, [created.PortId], CancellationToken.None);
        await Assert.ThrowsAsync<Kuryr.Neutron.Errors.NeutronNotFoundException>(() => bed.Admin.GetPortAsync(created.PortId));
    }
}
