using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;

namespace Kuryr.Neutron.Tests.Ports;

/// <summary>Ports against the real neutron-server (fresh project per test, cleaned up after).</summary>
[Collection(NeutronClientTestGroup.Collection)]
public sealed class NeutronClientPortsTests : IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();

    public Task InitializeAsync() => _project.InitializeAsync();

    public Task DisposeAsync() => _project.DisposeAsync();

    private INeutronClient Admin => _project.Admin;

    [Fact]
    public async Task Create_get_update_and_delete_a_port()
    {
        var (network, subnet) = await _project.CreateNetworkAsync();

        var created = await Admin.CreatePortAsync(new PortCreate
        {
            NetworkId = network.Id,
            Name = "p1",
            DeviceOwner = "compute:kuryr",
            FixedIps = [new FixedIpRequest { SubnetId = subnet.Id, IpAddress = "10.77.0.50" }],
        });
        var fetched = await Admin.GetPortAsync(created.Id);
        var updated = await Admin.UpdatePortAsync(created.Id, new PortUpdate
        {
            Name = "p1-renamed",
            Description = "pod port",
            DeviceId = "pod-uid-1",
            SecurityGroups = [],
            AllowedAddressPairs = [new AllowedAddressPair { IpAddress = "10.77.0.99" }],
            AdminStateUp = false,
        });

        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal(_project.ProjectId, fetched.ProjectId);
        Assert.Equal("compute:kuryr", fetched.DeviceOwner);
        Assert.Equal("10.77.0.50", Assert.Single(fetched.FixedIps).IpAddress);
        Assert.NotEmpty(fetched.SecurityGroups); // the project's default group
        Assert.Equal("unbound", fetched.BindingVifType);
        Assert.Equal("p1-renamed", updated.Name);
        Assert.Equal("pod port", updated.Description);
        Assert.Equal("pod-uid-1", updated.DeviceId);
        Assert.Empty(updated.SecurityGroups);
        Assert.Equal("10.77.0.99", Assert.Single(updated.AllowedAddressPairs).IpAddress);
        Assert.False(updated.AdminStateUp);
        Assert.True(updated.RevisionNumber > fetched.RevisionNumber);

        Assert.True(await Admin.DeletePortAsync(created.Id));
        Assert.False(await Admin.DeletePortAsync(created.Id));
        await Assert.ThrowsAsync<NeutronNotFoundException>(() => Admin.GetPortAsync(created.Id));
    }

    [Fact]
    public async Task A_missing_port_is_not_found_and_its_delete_answers_false()
    {
        var missing = Guid.NewGuid().ToString();

        var e = await Assert.ThrowsAsync<NeutronNotFoundException>(() => Admin.GetPortAsync(missing));

        Assert.Equal("PortNotFound", e.ErrorType);
        Assert.Equal(404, e.StatusCode);
        Assert.False(await Admin.DeletePortAsync(missing));
        await Assert.ThrowsAsync<NeutronNotFoundException>(() => Admin.UpdatePortAsync(missing, new PortUpdate { Name = "x" }));
    }

    [Fact]
    public async Task Bulk_create_tags_every_port_in_the_post_itself()
    {
        var (network, _) = await _project.CreateNetworkAsync();
        var proxy = await FaultProxy.StartAsync(_project.Bed.HeadersEndpoint);
        await using var _ = proxy;
        var client = _project.CreateClient(proxy.BaseAddress, ["admin"]);

        var ports = await client.CreatePortsAsync([.. Enumerable.Range(0, 4).Select(i => new PortCreate
        {
            NetworkId = network.Id,
            Name = "bulk-" + i,
            DeviceOwner = "compute:kuryr",
            Tags = ["kuryr.cluster=c1", "pool=" + (i % 2)],
        })]);

        Assert.Equal(4, ports.Count);
        Assert.Equal(4, ports.Select(p => p.Id).Distinct().Count());
        Assert.All(ports, p => Assert.Contains("kuryr.cluster=c1", p.Tags));
        Assert.Equal(["bulk-0", "bulk-1", "bulk-2", "bulk-3"], ports.Select(p => p.Name));
        // One POST, no per-port tagging afterwards.
        Assert.Equal(1, proxy.Count("POST", "^/v2.0/ports$"));
        Assert.Equal(0, proxy.Count("PUT", "/tags$"));
        foreach (var port in ports)
        {
            var fetched = await Admin.GetPortAsync(port.Id);
            Assert.Equal(port.Tags.Order(), fetched.Tags.Order());
        }
    }

    [Fact]
    public async Task Without_the_tag_extension_bulk_create_tags_each_port_right_after()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.86.0.0/24");
        var proxy = await FaultProxy.StartAsync(_project.Bed.HeadersEndpoint);
        await using var _ = proxy;
        // A Neutron without tag-ports-during-bulk-creation (older releases): only the extension list is faked.
        proxy.InjectFault("GET", "^/v2.0/extensions$", ProxyFault.Status(200, """{"extensions":[{"alias":"trunk","name":"Trunk"}]}"""));
        var client = _project.CreateClient(proxy.BaseAddress, ["admin"]);

        var ports = await client.CreatePortsAsync([.. Enumerable.Range(0, 3).Select(i => new PortCreate
        {
            NetworkId = network.Id,
            Tags = ["kuryr.cluster=c1", "n=" + i],
        })]);

        Assert.Equal(1, proxy.Count("POST", "^/v2.0/ports$"));
        Assert.DoesNotContain("tags", System.Text.Encoding.UTF8.GetString(proxy.Requests.Single(r => r.Method == "POST").Body), StringComparison.Ordinal);
        Assert.Equal(3, proxy.Count("PUT", "^/v2.0/ports/[^/]+/tags$"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(["kuryr.cluster=c1", "n=" + i], ports[i].Tags.Order());
            Assert.Equal(["kuryr.cluster=c1", "n=" + i], (await Admin.GetPortAsync(ports[i].Id)).Tags.Order());
        }
    }

    [Fact]
    public async Task When_tagging_after_create_fails_no_untagged_port_is_left()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.87.0.0/24");
        var proxy = await FaultProxy.StartAsync(_project.Bed.HeadersEndpoint);
        await using var _ = proxy;
        proxy.InjectFault("GET", "^/v2.0/extensions$", ProxyFault.Status(200, """{"extensions":[]}"""));
        var client = _project.CreateClient(proxy.BaseAddress, ["admin"]);
        var tagged = 0;
        proxy.InjectFault(r => r.Method == "PUT" && r.Path.EndsWith("/tags", StringComparison.Ordinal) && Interlocked.Increment(ref tagged) == 2,
            ProxyFault.Status(409, """{"NeutronError":{"type":"Conflict","message":"injected","detail":""}}"""));

        await Assert.ThrowsAsync<NeutronConflictException>(() => client.CreatePortsAsync(
            [.. Enumerable.Range(0, 3).Select(_ => new PortCreate { NetworkId = network.Id, Tags = ["kuryr.cluster=c1"] })]));

        Assert.Equal(1, proxy.Count("POST", "^/v2.0/ports$"));
        Assert.Equal(3, proxy.Count("DELETE", "^/v2.0/ports/"));
        Assert.Empty(await Admin.ListPortsAsync(new PortFilter { NetworkId = network.Id }).ToListAsync());
    }

    [Fact]
    public async Task Listing_pages_through_more_ports_than_one_page()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.78.0.0/24");
        var created = await Admin.CreatePortsAsync([.. Enumerable.Range(0, 25).Select(_ => new PortCreate { NetworkId = network.Id })]);
        var proxy = await FaultProxy.StartAsync(_project.Bed.HeadersEndpoint);
        await using var _ = proxy;
        var client = _project.CreateClient(proxy.BaseAddress, ["admin"]);

        var listed = await client.ListPortsAsync(new PortFilter { NetworkId = network.Id, Limit = 10 }).Select(p => p.Id).ToListAsync();

        Assert.Equal(25, listed.Count);
        Assert.Equal(created.Select(p => p.Id).Order(), listed.Order());
        Assert.Equal(3, proxy.Count("GET", "^/v2.0/ports$"));
        Assert.All(proxy.Requests.Skip(1), r => Assert.Contains("marker=", r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Filters_return_exactly_the_matching_ports()
    {
        var (network, subnet) = await _project.CreateNetworkAsync("10.79.0.0/24");
        var ports = await Admin.CreatePortsAsync(
        [
            new PortCreate { NetworkId = network.Id, DeviceOwner = "compute:kuryr", Tags = ["a"] },
            new PortCreate { NetworkId = network.Id, DeviceOwner = "compute:kuryr", Tags = ["b"] },
            new PortCreate { NetworkId = network.Id, DeviceOwner = "compute:other", Tags = ["a", "c"] },
            new PortCreate { NetworkId = network.Id, FixedIps = [new FixedIpRequest { SubnetId = subnet.Id, IpAddress = "10.79.0.42" }] },
        ]);
        var ids = ports.Select(p => p.Id).ToArray();

        async Task<string[]> List(PortFilter f) =>
            (await Admin.ListPortsAsync(f with { ProjectId = _project.ProjectId }).Select(p => p.Id).ToListAsync()).Order().ToArray();

        Assert.Equal(new[] { ids[0], ids[1] }.Order(), await List(new PortFilter { DeviceOwner = "compute:kuryr" }));
        Assert.Equal(new[] { ids[0], ids[2] }.Order(), await List(new PortFilter { TagsAny = ["a"] }));
        Assert.Equal(new[] { ids[0], ids[1], ids[2] }.Order(), await List(new PortFilter { TagsAny = ["a", "b"] }));
        Assert.Equal([ids[2]], await List(new PortFilter { Tags = ["a", "c"] }));
        Assert.Equal(new[] { ids[1], ids[3] }.Order(), await List(new PortFilter { NotTags = ["a"] }));
        Assert.Equal(new[] { ids[0], ids[1], ids[3] }.Order(), await List(new PortFilter { NotTagsAny = ["c"] }));
        Assert.Equal([ids[3]], await List(new PortFilter { FixedIps = [new FixedIpRequest { IpAddress = "10.79.0.42" }] }));
        Assert.Equal([ids[1]], await List(new PortFilter { Ids = [ids[1]], DeviceOwner = "compute:kuryr" }));
        Assert.Equal([ids[0]], await List(new PortFilter { MacAddress = ports[0].MacAddress }));
    }

    [Fact]
    public async Task Fields_limits_the_attributes_returned()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.80.0.0/24");
        var port = await Admin.CreatePortAsync(new PortCreate { NetworkId = network.Id, DeviceOwner = "compute:kuryr", Tags = ["t"] });

        var listed = Assert.Single(await Admin.ListPortsAsync(new PortFilter { Ids = [port.Id], Fields = ["id", "tags"] }).ToListAsync());

        Assert.Equal(port.Id, listed.Id);
        Assert.Equal(["t"], listed.Tags);
        Assert.Null(listed.DeviceOwner);
        Assert.Null(listed.NetworkId);
    }

    [Fact]
    public async Task Set_tags_replaces_the_tags()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.81.0.0/24");
        var port = await Admin.CreatePortAsync(new PortCreate { NetworkId = network.Id, Tags = ["old"] });

        var tags = await Admin.SetPortTagsAsync(port.Id, ["x", "y"]);

        Assert.Equal(["x", "y"], tags.Order());
        Assert.Equal(["x", "y"], (await Admin.GetPortAsync(port.Id)).Tags.Order());
    }

    [Fact]
    public async Task A_stale_if_match_revision_is_a_precondition_failure()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.82.0.0/24");
        var port = await Admin.CreatePortAsync(new PortCreate { NetworkId = network.Id });
        var revision = port.RevisionNumber!.Value;

        var updated = await Admin.UpdatePortAsync(port.Id, new PortUpdate { Name = "first" }, ifMatchRevision: revision);
        var e = await Assert.ThrowsAsync<NeutronPreconditionFailedException>(() =>
            Admin.UpdatePortAsync(port.Id, new PortUpdate { Name = "second" }, ifMatchRevision: revision));

        Assert.Equal(412, e.StatusCode);
        Assert.Equal("first", updated.Name);
        Assert.Equal("first", (await Admin.GetPortAsync(port.Id)).Name);
    }

    [Fact]
    public async Task A_member_may_not_set_binding_host_id()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.83.0.0/24");
        var port = await _project.Member.CreatePortAsync(new PortCreate { NetworkId = network.Id });

        var e = await Assert.ThrowsAsync<NeutronForbiddenException>(() =>
            _project.Member.UpdatePortAsync(port.Id, new PortUpdate { BindingHostId = "node-1" }));

        Assert.Equal(403, e.StatusCode);
        Assert.Equal("PolicyNotAuthorized", e.ErrorType);
        Assert.Equal("", (await Admin.GetPortAsync(port.Id)).BindingHostId);
        // The member may change what the policy allows.
        Assert.Equal("ok", (await _project.Member.UpdatePortAsync(port.Id, new PortUpdate { Name = "ok" })).Name);
    }

    [Fact]
    public async Task An_admin_binds_a_port_to_a_registered_host()
    {
        var host = "kn2-node-" + Guid.NewGuid().ToString("N")[..8];
        await _project.Bed.RegisterOvsAgentAsync(host);
        var (network, _) = await _project.CreateNetworkAsync("10.84.0.0/24");
        var port = await Admin.CreatePortAsync(new PortCreate { NetworkId = network.Id, DeviceOwner = "compute:kuryr" });

        var bound = await Admin.UpdatePortAsync(port.Id, new PortUpdate { BindingHostId = host });

        Assert.Equal(host, bound.BindingHostId);
        Assert.Equal("ovs", bound.BindingVifType);
        Assert.NotNull(bound.BindingVifDetails);
        Assert.True(bound.BindingVifDetails.ContainsKey("port_filter"));
        var onHost = await Admin.ListPortsAsync(new PortFilter { BindingHostId = host }).Select(p => p.Id).ToListAsync();
        Assert.Equal([port.Id], onHost);
        var unbound = await Admin.UpdatePortAsync(port.Id, new PortUpdate { BindingHostId = "" });
        Assert.Equal("unbound", unbound.BindingVifType);
    }

    [Fact]
    public async Task Neutron_rejecting_a_bulk_create_creates_nothing()
    {
        var (network, _) = await _project.CreateNetworkAsync("10.85.0.0/24");

        var e = await Assert.ThrowsAsync<NeutronBadRequestException>(() => Admin.CreatePortsAsync(
        [
            new PortCreate { NetworkId = network.Id },
            new PortCreate { NetworkId = network.Id, FixedIps = [new FixedIpRequest { IpAddress = "192.0.2.1" }] },
        ]));

        Assert.NotNull(e.ErrorType);
        Assert.Empty(await Admin.ListPortsAsync(new PortFilter { NetworkId = network.Id }).ToListAsync());
    }
}
