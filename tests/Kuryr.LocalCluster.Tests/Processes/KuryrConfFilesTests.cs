using Kuryr.LocalCluster.Processes;

namespace Kuryr.LocalCluster.Tests.Processes;

public sealed class KuryrConfFilesTests
{
    private static ControllerSettings Controller(bool pooled, string? nested) => new()
    {
        KubeConfig = "/k",
        Namespace = "ns",
        Keystone = new KeystoneCredentials("http://ks/v3", "admin", "pw", "admin", "default", "default", "RegionOne"),
        ProjectId = "proj",
        PodSubnetId = "sub",
        SecurityGroupId = "sg",
        ClusterId = "kuryr-local",
        RedisEndpoint = "127.0.0.1:1",
        RedisPrefix = "kuryr-local",
        Pooled = pooled,
        NestedDriver = nested,
        WorkerSubnetId = nested is null ? null : "sub",
        ManagementSocket = "/run/m.sock",
        HealthPort = 1,
        MetricsPort = 2,
    };

    [Theory]
    [InlineData(null, "neutron-vif:neutron")]
    [InlineData("nested-vlan", "neutron-vif:neutron,nested-vlan:nested")]
    [InlineData("nested-macvlan", "neutron-vif:neutron,nested-macvlan:noop")]
    public void Pool_mapping_per_nested_driver(string? nested, string expected) => Assert.Equal(expected, KuryrConfFiles.PoolMapping(nested));

    [Theory]
    [InlineData(null, "neutron-vif:noop")]
    [InlineData("nested-vlan", "neutron-vif:noop,nested-vlan:noop")]
    [InlineData("nested-macvlan", "neutron-vif:noop,nested-macvlan:noop")]
    public void Unpooled_mapping_maps_every_driver_to_noop(string? nested, string expected) => Assert.Equal(expected, KuryrConfFiles.PoolMapping(nested, pooled: false));

    [Fact]
    public void Bug_noop_with_a_nested_node_gave_its_pods_neutron_vif_ports_so_unpooled_two_driver_clusters_use_multi_pool()
    {
        // Plain vif_pool_driver = noop ignores the node's pod_vif label: the macvlan node's ports were bound as neutron-vif (binding_failed).
        Assert.Equal("multi_pool", KuryrConfFiles.VifPoolDriver("nested-macvlan", pooled: false));
        Assert.Equal("noop", KuryrConfFiles.VifPoolDriver(null, pooled: false));
        var ini = KuryrConfFiles.Controller(Controller(false, "nested-macvlan"));
        Assert.Contains("vif_pool_driver = multi_pool\n", ini, StringComparison.Ordinal);
        Assert.Contains("vif_pool_mapping = neutron-vif:noop,nested-macvlan:noop\n", ini, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_nested_driver_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => KuryrConfFiles.PoolMapping("nested-dpdk"));

    [Fact]
    public void Pooled_controller_uses_multi_pool_keystone_and_the_manager()
    {
        var ini = KuryrConfFiles.Controller(Controller(true, "nested-macvlan"));
        Assert.Contains("vif_pool_driver = multi_pool\n", ini, StringComparison.Ordinal);
        Assert.Contains("vif_pool_mapping = neutron-vif:neutron,nested-macvlan:noop\n", ini, StringComparison.Ordinal);
        Assert.Contains("auth_type = password\n", ini, StringComparison.Ordinal);
        Assert.Contains("auth_url = http://ks/v3\n", ini, StringComparison.Ordinal);
        Assert.Contains("enable_manager = true\n", ini, StringComparison.Ordinal);
        Assert.Contains("sock_file = /run/m.sock\n", ini, StringComparison.Ordinal);
        Assert.Contains("worker_nodes_subnets = sub\n", ini, StringComparison.Ordinal);
        Assert.Contains("controller_exporter_port = 2\n", ini, StringComparison.Ordinal);
    }

    [Fact]
    public void Noop_controller_has_no_mapping_and_no_nested_section()
    {
        var ini = KuryrConfFiles.Controller(Controller(false, null));
        Assert.Contains("vif_pool_driver = noop\n", ini, StringComparison.Ordinal);
        Assert.DoesNotContain("vif_pool_mapping", ini, StringComparison.Ordinal);
        Assert.DoesNotContain("[pod_vif_nested]", ini, StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_agent_gets_link_iface_bare_metal_does_not()
    {
        var bm = new AgentSettings
        {
            KubeConfig = "/k",
            PodVifDriver = "neutron-vif",
            VifPoolDriver = "multi_pool",
            RedisEndpoint = "r",
            RedisPrefix = "p",
            SocketPath = "/s",
            StatePath = "/st",
            OvsdbConnection = "unix:/db",
            HealthPort = 3,
            MetricsPort = 4,
        };
        Assert.DoesNotContain("link_iface", KuryrConfFiles.Agent(bm), StringComparison.Ordinal);
        var nested = KuryrConfFiles.Agent(bm with { PodVifDriver = "nested-macvlan", LinkIface = "klvm1" });
        Assert.Contains("[binding]\nlink_iface = klvm1\n", nested.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("pod_vif_driver = nested-macvlan\n", nested.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Bug_multi_pool_agent_without_mapping_is_refused_by_the_agent_so_the_mapping_is_written()
    {
        var agent = new AgentSettings
        {
            KubeConfig = "/k",
            PodVifDriver = "neutron-vif",
            VifPoolDriver = "multi_pool",
            VifPoolMapping = KuryrConfFiles.PoolMapping(null),
            RedisEndpoint = "r",
            RedisPrefix = "p",
            SocketPath = "/s",
            StatePath = "/st",
            OvsdbConnection = "unix:/db",
            HealthPort = 3,
            MetricsPort = 4,
        };
        Assert.Contains("[vif_pool]\nvif_pool_mapping = neutron-vif:neutron\n", KuryrConfFiles.Agent(agent).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("vif_pool_mapping", KuryrConfFiles.Agent(agent with { VifPoolDriver = "noop", VifPoolMapping = null }), StringComparison.Ordinal);
    }
}
