using Kuryr.Neutron;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Subnets;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Testing.Neutron;

/// <summary>
/// Integration-test scope on the REAL neutron-server of the test bed: a fresh random project, an
/// admin and a member <see cref="INeutronClient"/> built through <c>AddNeutronClient</c> (noauth
/// with trusted headers), and a cleanup that deletes everything the project owns afterwards.
/// </summary>
public sealed class NeutronTestProject(string prefix = "knp") : IAsyncLifetime
{
    /// <summary>The integration classes run one after another: the test bed's neutron-server keeps
    /// its state in SQLite, which answers concurrent writers with "database is locked" (500).</summary>
    public const string Collection = "neutron-pools";

    private readonly NeutronTestBed _bed = new();
    private readonly List<ServiceProvider> _providers = [];

    /// <summary>A fresh project id, <c>PREFIX-</c> and 12 hex digits (the prefix tells which suite made it).</summary>
    public string ProjectId { get; } = prefix + "-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Project admin (roles=admin).</summary>
    public INeutronClient Admin { get; private set; } = null!;

    /// <summary>Same project, roles=member: Neutron's default policy applies.</summary>
    public INeutronClient Member { get; private set; } = null!;

    public NeutronTestBed Bed => _bed;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        Admin = CreateClient(_bed.HeadersEndpoint, ["admin"]);
        Member = CreateClient(_bed.HeadersEndpoint, ["member"]);
    }

    /// <summary>A client for this project against <paramref name="endpoint"/> (e.g. a FaultProxy in front of Neutron).</summary>
    public INeutronClient CreateClient(Uri endpoint, IList<string> roles)
    {
        var services = new ServiceCollection();
        services.AddNeutronClient(o =>
        {
            o.AuthType = "noauth";
            o.EndpointOverride = endpoint.ToString();
            o.ProjectId = ProjectId;
            o.UserId = "kuryr-tests";
            o.Roles = roles;
            o.RequestsPerSecond = 0;
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<INeutronClient>();
    }

    /// <summary>A network with one IPv4 subnet in this project.</summary>
    public async Task<(Network Network, Subnet Subnet)> CreateNetworkAsync(string cidr = "10.77.0.0/24")
    {
        var network = await Admin.CreateNetworkAsync(new NetworkCreate { Name = prefix + "-net", ProjectId = ProjectId });
        var subnet = await Admin.CreateSubnetAsync(new SubnetCreate { NetworkId = network.Id, Cidr = cidr, Name = prefix + "-subnet", ProjectId = ProjectId });
        return (network, subnet);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await CleanUpAsync();
        }
        finally
        {
            foreach (var p in _providers)
            {
                await p.DisposeAsync();
            }
        }
    }

    /// <summary>The ports of this project, optionally on one network (for counting in tests).</summary>
    public async Task<List<Kuryr.Neutron.Ports.Port>> ListPortsAsync(string? networkId = null)
    {
        var ports = new List<Kuryr.Neutron.Ports.Port>();
        await foreach (var port in Admin.ListPortsAsync(new() { ProjectId = ProjectId, NetworkId = networkId }))
        {
            ports.Add(port);
        }

        return ports;
    }

    /// <summary>Deletes every trunk, router, port, network and security group of the project.</summary>
    private async Task CleanUpAsync()
    {
        var admin = Admin;
        if (admin is null)
        {
            return;
        }

        await foreach (var trunk in admin.ListTrunksAsync(new() { ProjectId = ProjectId }))
        {
            await admin.DeleteTrunkAsync(trunk.Id);
        }

        await foreach (var router in admin.ListRoutersAsync(new() { ProjectId = ProjectId }))
        {
            await foreach (var port in admin.ListPortsAsync(new() { DeviceId = router.Id }))
            {
                foreach (var ip in port.FixedIps)
                {
                    await admin.RemoveRouterInterfaceAsync(router.Id, ip.SubnetId!);
                }
            }

            await admin.DeleteRouterAsync(router.Id);
        }

        await foreach (var port in admin.ListPortsAsync(new() { ProjectId = ProjectId }))
        {
            await admin.DeletePortAsync(port.Id);
        }

        await foreach (var network in admin.ListNetworksAsync(new() { ProjectId = ProjectId }))
        {
            await admin.DeleteNetworkAsync(network.Id);
        }

        await foreach (var sg in admin.ListSecurityGroupsAsync(new() { ProjectId = ProjectId }))
        {
            await admin.DeleteSecurityGroupAsync(sg.Id);
        }
    }
}

