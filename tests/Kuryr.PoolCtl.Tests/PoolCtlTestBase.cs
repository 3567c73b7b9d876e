using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Subnets;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.PoolCtl.Tests;

/// <summary>A Neutron project with one network/subnet and a registered OVS agent for the pool's host
/// (bound ports); the tests that use Neutron run one at a time (it serves one request at a time).</summary>
public abstract class PoolCtlTestBase(RedisTestBed redis) : IAsyncLifetime
{
    public const string Collection = "poolctl-neutron";

    private protected NeutronTestProject Project { get; } = new("knpc");

    private protected string Host { get; } = "knpc-node-" + Guid.NewGuid().ToString("N")[..8];

    private protected Network Network { get; private set; } = null!;

    private protected Subnet Subnet { get; private set; } = null!;

    private protected RedisTestBed Redis => redis;

    public virtual async Task InitializeAsync()
    {
        await Project.InitializeAsync();
        await Project.Bed.RegisterOvsAgentAsync(Host);
        (Network, Subnet) = await Project.CreateNetworkAsync("10.81.0.0/24");
    }

    public virtual Task DisposeAsync() => Project.DisposeAsync();

    private protected Task<PoolCtlBed> StartAsync(Action<IServiceCollection>? configure = null) =>
        PoolCtlBed.StartAsync(Project, redis, Host, Network, Subnet, configure);
}

[CollectionDefinition(PoolCtlTestBase.Collection)]
public sealed class PoolCtlNeutronGroup
{
}
