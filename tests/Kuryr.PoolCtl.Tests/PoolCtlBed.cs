using Kuryr.Assignments;
using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Subnets;
using Kuryr.Pools;
using Kuryr.Pools.DependencyInjection;
using Kuryr.Pools.Management;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.TestBed;
using Kuryr.Testing.Time;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.PoolCtl.Tests;

/// <summary>
/// One controller's pools (AddKuryrPools) and its REAL management server on a unix socket, on the
/// REAL Redis and neutron-server of the test bed, plus a kuryr.conf naming both; kuryr-poolctl
/// runs in-process against them (<see cref="RunAsync"/>).
/// </summary>
internal sealed class PoolCtlBed : IAsyncDisposable
{
    /// <summary>The controller's clock: the last populate shown is this time.</summary>
    public static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private readonly string _dir;

    private PoolCtlBed(ServiceProvider provider, string dir, NeutronTestProject project, string host, Network network, Subnet subnet, string prefix)
    {
        _provider = provider;
        _dir = dir;
        Project = project;
        Host = host;
        Network = network;
        Subnet = subnet;
        KeyPrefix = prefix;
        ConfigFile = Path.Combine(dir, "kuryr.conf");
    }

    public NeutronTestProject Project { get; }

    public string Host { get; }

    public Network Network { get; }

    public Subnet Subnet { get; }

    public string KeyPrefix { get; }

    public string ConfigFile { get; }

    public string SocketPath => Path.Combine(_dir, "run", "kuryr_manage.sock");

    public PoolKey Pool => new(Host, Project.ProjectId, Network.Id);

    public IVifPool Pools => _provider.GetRequiredService<IVifPool>();

    public IPoolStateStore Store => _provider.GetRequiredService<IPoolStateStore>();

    public INodeVifPublisher Publisher => _provider.GetRequiredService<INodeVifPublisher>();

    public static async Task<PoolCtlBed> StartAsync(
        NeutronTestProject project, RedisTestBed redis, string host, Network network, Subnet subnet, Action<IServiceCollection>? configure = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "knpc-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var prefix = RedisTestBed.UniquePrefix("poolctl");
        var services = new ServiceCollection();
        services.AddNeutronClient(o =>
        {
            o.AuthType = "noauth";
            o.EndpointOverride = project.Bed.HeadersEndpoint.ToString();
            o.ProjectId = project.ProjectId;
            o.UserId = "kuryr-poolctl-tests";
            o.Roles = ["admin"];
            o.RequestsPerSecond = 0;
        });
        services.Configure<KubernetesOptions>(o =>
        {
            o.VifPoolDriver = "neutron";
            o.PodVifDriver = "neutron-vif";
        });
        services.Configure<VifPoolOptions>(o =>
        {
            o.PortsPoolMin = 0;
            o.PortsPoolBatch = 1;
            o.PortsPoolMax = 0;
        });
        services.Configure<NeutronDefaultsOptions>(o => o.ClusterId = "poolctl-tests");
        services.Configure<RedisOptions>(o =>
        {
            o.Endpoints = [redis.Endpoint];
            o.KeyPrefix = prefix;
        });
        services.AddSingleton<TimeProvider>(new ManualTimeProvider(Now));
        services.AddKuryrNodeVifAssignments();
        services.AddKuryrPoolManagement(o => o.SockFile = Path.Combine(dir, "run", "kuryr_manage.sock"));
        configure?.Invoke(services);
        services.AddKuryrPools();
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<Kuryr.Pools.Manager.IPoolReadiness>().MarkRecovered();
        await provider.GetRequiredService<IPoolManagementServer>().StartAsync(CancellationToken.None);
        var bed = new PoolCtlBed(provider, dir, project, host, network, subnet, prefix);
        await File.WriteAllTextAsync(bed.ConfigFile, $"""
            [redis]
            endpoints = {redis.Endpoint}
            key_prefix = {prefix}
            connect_timeout = 2

            [pool_manager]
            sock_file = {bed.SocketPath}
            """);
        return bed;
    }

    /// <summary>Populates the pool through the real pool code (not the socket).</summary>
    public Task<int> PopulateAsync(int ports, params string[] groups) =>
        Pools.PopulateAsync(new PoolTarget(Pool, "neutron", Host, Subnet.Id, new SecurityGroupSet(groups)), ports);

    /// <summary>A pod takes a port from the pool, as the controller does.</summary>
    public Task<VifAssignment> TakeAsync(string pod, params string[] groups) =>
        Pools.RequestVifAsync(new PodVifRequest(
            "ns1", pod, Guid.NewGuid().ToString(), Host, null, "eth0", Project.ProjectId, Subnet.Id, Network.Id, new SecurityGroupSet(groups)));

    /// <summary>Runs kuryr-poolctl in-process with this bed's kuryr.conf (no KURYR_* variables).</summary>
    public Task<PoolCtlRun> RunAsync(params string[] args) => PoolCtlRun.RunAsync(["--config-file", ConfigFile, .. args]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _provider.GetRequiredService<IPoolManagementServer>().StopAsync(CancellationToken.None);
            await _provider.DisposeAsync();
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}

/// <summary>One in-process run of kuryr-poolctl: exit code, stdout, stderr.</summary>
internal sealed record PoolCtlRun(int Code, string Out, string Err)
{
    public static async Task<PoolCtlRun> RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        using var err = new StringWriter();
        var writer = output ?? new StringWriter();
        try
        {
            var code = await PoolCtlApp.RunAsync(args, new PoolCtlIo(writer, err, Terminal: false), new Dictionary<string, string>(), TimeProvider.System, cancellationToken: cancellationToken);
            return new PoolCtlRun(code, writer.ToString()!, err.ToString());
        }
        finally
        {
            if (output is null)
            {
                await writer.DisposeAsync();
            }
        }
    }
}
