using Kuryr.Neutron.SecurityGroups;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.Proxy;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Pools.Tests.Drivers.Common;

/// <summary>The project's default security group resolver against the REAL neutron-server (through a counting FaultProxy).</summary>
[Collection(NeutronTestProject.Collection)]
public sealed class DefaultSecurityGroupsTests : IAsyncLifetime
{
    private readonly NeutronTestProject _project = new();
    private FaultProxy _proxy = null!;
    private DefaultSecurityGroups _resolver = null!;

    public async Task InitializeAsync()
    {
        await _project.InitializeAsync();
        _proxy = await FaultProxy.StartAsync(_project.Bed.HeadersEndpoint);
        _resolver = new DefaultSecurityGroups(_project.CreateClient(_proxy.BaseAddress, ["admin"]), NullLogger<DefaultSecurityGroups>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _project.DisposeAsync();
    }

    /// <summary>Listings Neutron answered (the client's transport may retry one that failed, e.g. while the shared server restarts).</summary>
    private int Listings => _proxy.Count(r => r.Method == "GET" && r.Path.EndsWith("/security-groups", StringComparison.Ordinal) && r.StatusCode == 200);

    private async Task<string> DefaultIdAsync()
    {
        await foreach (var sg in _project.Admin.ListSecurityGroupsAsync(new SecurityGroupFilter { Name = "default", ProjectId = _project.ProjectId }))
        {
            return sg.Id;
        }

        throw new InvalidOperationException("no default group");
    }

    [Fact]
    public async Task An_empty_set_resolves_to_the_projects_default_group_with_one_listing_for_many_callers()
    {
        var resolved = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _resolver.ResolveAsync(_project.ProjectId, SecurityGroupSet.Default)));
        var again = await _resolver.ResolveAsync(_project.ProjectId, SecurityGroupSet.Default);

        var expected = new SecurityGroupSet([await DefaultIdAsync()]);
        Assert.All(resolved, r => Assert.Equal(expected, r));
        Assert.Equal(expected, again);
        Assert.Single(again.Ids);
        Assert.Equal(1, Listings);
    }

    [Fact]
    public async Task An_explicit_set_is_returned_as_is_without_a_Neutron_call()
    {
        var explicitSet = new SecurityGroupSet(["b-sg", "a-sg"]);

        var resolved = await _resolver.ResolveAsync(_project.ProjectId, explicitSet);

        Assert.Same(explicitSet, resolved);
        Assert.Equal(0, _proxy.Count(_ => true));
    }

    [Fact]
    public async Task A_failed_listing_fails_the_request_and_is_not_cached()
    {
        _proxy.InjectFault("GET", "/security-groups", ProxyFault.Status(500, "{\"NeutronError\":{\"type\":\"Boom\",\"message\":\"injected\",\"detail\":\"\"}}"), times: 20);

        await Assert.ThrowsAnyAsync<Exception>(() => _resolver.ResolveAsync(_project.ProjectId, SecurityGroupSet.Default));
        _proxy.ClearFaults();
        var resolved = await _resolver.ResolveAsync(_project.ProjectId, SecurityGroupSet.Default);

        Assert.Equal([await DefaultIdAsync()], resolved.Ids);
    }

    [Fact]
    public async Task An_empty_project_id_is_refused_naming_the_field()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _resolver.ResolveAsync(" ", SecurityGroupSet.Default));

        Assert.Equal("projectId", e.ParamName);
    }
}
