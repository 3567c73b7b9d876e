using System.Text.Json.Nodes;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Subnets;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Drivers.MultiPool;
using Kuryr.Pools.Drivers.Neutron;
using Kuryr.Pools.Manager;
using Kuryr.Pools.Ownership;
using Kuryr.Pools.Recovery;
using Kuryr.Pools.State;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kuryr.Pools.Tests.Recovery;

/// <summary>
/// Real Redis + real neutron-server (fresh project, network, two OVS-bound hosts) + the real
/// kube-apiserver (Kuryr CRDs, a fresh namespace) for the recovery, GC and crash-safety tests.
/// Every test takes its own <see cref="Scope"/>: its own Redis key prefix and its own cluster id
/// (so its ports' ownership tag is unique and discovery only ever sees its own ports).
/// </summary>
public sealed class RecoveryBed : IAsyncLifetime
{
    private readonly RedisTestBed _redis = new();

    public NeutronTestProject Project { get; } = new();

    public KubeTestBed Kube { get; } = new();

    public IKubernetesClient KubeClient { get; private set; } = null!;

    public ConnectionMultiplexer Redis { get; private set; } = null!;

    public string Namespace { get; private set; } = "";

    public Network Network { get; private set; } = null!;

    public Subnet Subnet { get; private set; } = null!;

    public string[] Hosts { get; } = [$"rnode-{Guid.NewGuid():N}"[..16] + "-a", $"rnode-{Guid.NewGuid():N}"[..16] + "-b"];

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        await Project.InitializeAsync();
        await Kube.InitializeAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(_redis.Endpoint);
        KubeClient = KubernetesClientFactory.Create(KubeConfigLoader.Load(Kube.KubeConfigPath),
            new KubernetesClientOptions { Qps = 1000, Burst = 1000, RequestTimeout = 20 });
        await using (var sp = new ServiceCollection().AddLogging().AddSingleton(KubeClient).AddKuryrCrdInstaller().BuildServiceProvider())
        {
            await sp.GetRequiredService<Kuryr.Kubernetes.Crds.ICrdInstaller>().EnsureInstalledAsync();
        }

        Namespace = await Kube.CreateNamespaceAsync("pools-recovery");
        (Network, Subnet) = await Project.CreateNetworkAsync("10.78.0.0/24");
        await Project.Bed.RegisterOvsAgentAsync(Hosts);
    }

    public async Task DisposeAsync()
    {
        await Project.DisposeAsync();
        KubeClient.Dispose();
        Redis.Dispose();
    }

    internal Scope NewScope(string name) => new(this, name);

    /// <summary>A KuryrPort for a pod holding <paramref name="vifs"/> (ifname → VIF JSON), as the controller writes it.</summary>
    public Task<KuryrPort> CreateKuryrPortAsync(string podName, string podUid, IReadOnlyDictionary<string, string> vifs)
    {
        var status = new KuryrPortStatus();
        foreach (var (ifname, vif) in vifs)
        {
            status.Vifs[ifname] = new KuryrPortVif { Default = ifname == "eth0", Vif = JsonNode.Parse(vif)!.AsObject() };
        }

        return KubeClient.CreateAsync(KubernetesResources.KuryrPorts, new KuryrPort
        {
            Metadata = new ObjectMeta { Name = podName, Namespace = Namespace },
            Spec = new KuryrPortSpec { PodUid = podUid, PodNodeName = Hosts[0] },
            Status = status,
        });
    }

    public Task DeleteKuryrPortAsync(string podName) => KubeClient.DeleteAsync(KubernetesResources.KuryrPorts, Namespace, podName);

    /// <summary>One test's components: its Redis prefix, cluster tag, driver and recovery.</summary>
    internal sealed class Scope : IAsyncDisposable
    {
        private readonly RecoveryBed _bed;

        internal Scope(RecoveryBed bed, string name)
        {
            _bed = bed;
            ClusterId = "t" + Guid.NewGuid().ToString("N")[..12];
            Keys = new RedisKeys(RedisTestBed.UniquePrefix(name));
            Store = new RedisPoolStateStore(bed.Redis, Keys, TimeProvider.System);
            Locks = new RedisPopulateLockService(bed.Redis, Keys);
            Metadata = new RedisPoolMetadata(bed.Redis, Keys);
            Ownership = new PortOwnership(ClusterId, []);
            Driver = NewDriver(bed.Project.Admin);
            References = new KuryrPortReferences(bed.KubeClient);
            DefaultGroups = new DefaultSecurityGroups(bed.Project.Admin, NullLogger<DefaultSecurityGroups>.Instance);
            Recovery = NewRecovery();
        }

        public string ClusterId { get; }

        public RedisKeys Keys { get; }

        public RedisPoolStateStore Store { get; }

        public RedisPopulateLockService Locks { get; }

        public RedisPoolMetadata Metadata { get; }

        public PortOwnership Ownership { get; }

        public NeutronPoolDriver Driver { get; }

        public KuryrPortReferences References { get; }

        /// <summary>The project's <c>default</c> security group resolver (as the manager uses it).</summary>
        public DefaultSecurityGroups DefaultGroups { get; }

        public PoolRecovery Recovery { get; }

        public PoolKey Pool(int host = 0) => new(_bed.Hosts[host], _bed.Project.ProjectId, _bed.Network.Id);

        public PoolTarget Target(int host = 0, SecurityGroupSet? sgs = null) =>
            new(Pool(host), Driver.Name, _bed.Hosts[host], _bed.Subnet.Id, sgs ?? SecurityGroupSet.Default);

        /// <summary>This scope's neutron pool driver over another client (e.g. one through a FaultProxy).</summary>
        public NeutronPoolDriver NewDriver(Kuryr.Neutron.INeutronClient neutron) =>
            new(neutron, new SubnetCache(neutron, Options.Create(new SubnetCachingOptions()), TimeProvider.System),
                Ownership, Options.Create(new NeutronDefaultsOptions { ClusterId = ClusterId }), Options.Create(new KubernetesOptions()),
                NullLogger<NeutronPoolDriver>.Instance);

        /// <summary>A pool manager (single <c>neutron</c> pool driver) over this scope's real Redis state,
        /// population lock and driver, or over the given wrappers of them; ready (recovery is the caller's business).</summary>
        public VifPoolManager NewManager(
            VifPoolOptions options, IPoolDriver? driver = null, IPoolStateStore? store = null, IPopulateLockService? locks = null, TimeProvider? time = null)
        {
            var selector = new PoolDriverSelector([driver ?? Driver],
                Options.Create(new KubernetesOptions { VifPoolDriver = KuryrDrivers.NeutronPool, PodVifDriver = KuryrDrivers.NeutronVif }),
                Options.Create(options), Options.Create(new NodeDriverCachingOptions()), TimeProvider.System);
            var readiness = new PoolReadiness();
            readiness.MarkRecovered();
            return new VifPoolManager(selector, DefaultGroups, store ?? Store, locks ?? Locks, Metadata, Options.Create(options), readiness, new NullPoolEvents(),
                time ?? TimeProvider.System, new PoolMetrics(), NullLogger<VifPoolManager>.Instance);
        }

        /// <summary>A second recovery instance (another replica) over the same Redis prefix.</summary>
        public PoolRecovery NewRecovery(IPoolDriver? driver = null) =>
            new(Store, Locks, Metadata, _bed.Redis, Keys, [driver ?? Driver], References, TimeProvider.System,
                Options.Create(new PoolRecoveryOptions { LockRetryInterval = TimeSpan.FromMilliseconds(50) }), NullLogger<PoolRecovery>.Instance);

        /// <summary>Populates like the manager does: the project's default group resolved when no
        /// groups are given, one bulk create, then add(available).</summary>
        public async Task<IReadOnlyList<PooledPort>> PopulateAsync(int count, int host = 0, SecurityGroupSet? sgs = null)
        {
            var groups = await DefaultGroups.ResolveAsync(_bed.Project.ProjectId, sgs ?? SecurityGroupSet.Default);
            var ports = await Driver.CreatePortsAsync(Target(host, groups), count, default);
            await Store.AddAvailableAsync(Pool(host), groups, ports);
            return ports;
        }

        /// <summary>Emulates a Redis loss for this prefix only (the shared Redis is never flushed).</summary>
        public async Task WipeRedisAsync()
        {
            var db = _bed.Redis.GetDatabase(Keys.Database);
            foreach (var pool in await Store.ListPoolsAsync())
            {
                var k = Keys.For(pool);
                foreach (var sg in await db.SortedSetRangeByRankAsync(k.Buckets))
                {
                    await db.KeyDeleteAsync(k.Bucket((string)sg!));
                }

                await db.KeyDeleteAsync([k.State, k.Vif, k.SecurityGroups, k.Owner, k.Owned, k.Buckets, k.Recyclable, k.Counts, k.Sequence, k.PopulateLock, k.Meta]);
            }

            await db.KeyDeleteAsync([Keys.Registry, Keys.Prefix + ":recovered", Keys.Prefix + ":recovery:lock"]);
        }

        /// <summary>Every port of this scope (its ownership tag) in Neutron.</summary>
        public async Task<List<Port>> TaggedPortsAsync()
        {
            var result = new List<Port>();
            await foreach (var p in _bed.Project.Admin.ListPortsAsync(new PortFilter { Tags = [Ownership.ClusterTag] }))
            {
                result.Add(p);
            }

            return result;
        }

        /// <summary>Every port id → state over all pools of this prefix.</summary>
        public async Task<Dictionary<string, (PoolKey Pool, PortState State)>> RedisPortsAsync()
        {
            var all = new Dictionary<string, (PoolKey, PortState)>(StringComparer.Ordinal);
            foreach (var pool in await Store.ListPoolsAsync())
            {
                var s = await Store.ReadAsync(pool);
                foreach (var (port, state) in s.States)
                {
                    Assert.True(all.TryAdd(port, (pool, state)), $"port {port} is in two pools");
                }

                foreach (var state in Enum.GetValues<PortState>())
                {
                    Assert.Equal(s.Count(state), s.Counts.GetValueOrDefault(state));
                }
            }

            return all;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var p in await TaggedPortsAsync())
            {
                await _bed.Project.Admin.DeletePortAsync(p.Id);
            }

            await WipeRedisAsync();
        }
    }
}
