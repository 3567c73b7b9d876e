using Kuryr.Config.Binding;
using Kuryr.Config.Options;
using Kuryr.Config.Tests.Support;

namespace Kuryr.Config.Tests.Binding;

public sealed class KuryrOptionsCatalogTests
{
    [Fact]
    public void Maps_every_section_kuryr_node_reads()
    {
        Assert.Equal(
            ["DEFAULT", "kubernetes", "vif_pool", "neutron", "neutron_defaults", "pod_vif_nested", "namespace_subnet", "cni_daemon",
             "binding", "pool_manager", "health_server", "cni_health_server", "prometheus_exporter", "node_driver_caching",
             "subnet_caching", "nodes_caching", "redis"],
            KuryrOptionsCatalog.Sections.Select(s => s.Name));
    }

    [Fact]
    public void Every_option_has_help_and_a_unique_name()
    {
        foreach (var section in KuryrOptionsCatalog.Sections)
        {
            Assert.All(section.Options, o => Assert.False(string.IsNullOrWhiteSpace(o.Help), $"{o} has no help"));
            Assert.Equal(section.Options.Count, section.Options.Select(o => o.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    [Fact]
    public void Kubernetes_defaults_are_kuryrs()
    {
        var o = Conf.Load(string.Empty).Kubernetes;

        Assert.Equal("https://localhost:6443", o.ApiRoot);
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt", o.SslCaCrtFile);
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount/token", o.TokenFile);
        Assert.False(o.SslVerifyServerCrt);
        Assert.Null(o.SslClientCrtFile);
        Assert.Equal("neutron-vif", o.PodVifDriver);
        Assert.Equal("noop", o.VifPoolDriver);
        Assert.Equal(["noop"], o.MultiVifDrivers);
        Assert.Equal("eth", o.AdditionalIfnamePrefix);
        Assert.False(o.PortDebug);
        Assert.False(o.EnableManager);
        Assert.Equal("default", o.PodSubnetsDriver);
        Assert.Equal("default", o.PodSecurityGroupsDriver);
        Assert.Equal("default", o.PodProjectDriver);
        Assert.Equal("config", o.NodesSubnetsDriver);
        Assert.Equal(["vif", "endpoints", "service", "kuryrloadbalancer", "kuryrport"], o.EnabledHandlers);
        Assert.False(o.ControllerHa);
        Assert.Equal(16401, o.ControllerHaElectorPort);
        Assert.Equal(TimeSpan.FromSeconds(60), o.WatchRetryTimeout);
        Assert.Equal(30, o.WatchConnectionTimeoutSeconds);
        Assert.Equal(60, o.WatchReadTimeoutSeconds);
        Assert.Equal(TimeSpan.FromSeconds(120), o.WatchReconcilePeriod);
        Assert.True(o.UseEvents);
    }

    [Fact]
    public void Pool_defaults_are_kuryrs_and_kuryr_node_extras_keep_kuryrs_constants()
    {
        var o = Conf.Load(string.Empty).VifPool;

        Assert.Equal(0, o.PortsPoolMax);
        Assert.Equal(5, o.PortsPoolMin);
        Assert.Equal(10, o.PortsPoolBatch);
        Assert.Equal(TimeSpan.FromSeconds(20), o.PortsPoolUpdateFrequency);
        Assert.Empty(o.VifPoolMapping);
        Assert.Empty(o.PoolsVifDrivers);
        Assert.Equal(TimeSpan.FromSeconds(420), o.PopulateLockTimeout);
        Assert.Equal(TimeSpan.FromSeconds(600), o.GcGracePeriod);
    }

    [Fact]
    public void Other_section_defaults_are_kuryrs()
    {
        var c = Conf.Load(string.Empty);

        Assert.Null(c.NeutronDefaults.Project);
        Assert.Null(c.NeutronDefaults.PodSubnet);
        Assert.Empty(c.NeutronDefaults.PodSecurityGroups);
        Assert.Equal("br-int", c.NeutronDefaults.OvsBridge);
        Assert.Equal(0, c.NeutronDefaults.NetworkDeviceMtu);
        Assert.Empty(c.NeutronDefaults.SubnetMapping);
        Assert.Empty(c.NeutronDefaults.ResourceTags);

        Assert.Empty(c.PodVifNested.WorkerNodesSubnets);
        Assert.Equal(3, c.PodVifNested.RevUpdateAttempts);

        Assert.Equal("127.0.0.1:5036", c.CniDaemon.BindAddress);
        Assert.Equal("/run/kuryr/kuryr-agent.sock", c.CniDaemon.SocketPath);
        Assert.Equal(30, c.CniDaemon.WorkerNum);
        Assert.Equal(TimeSpan.FromSeconds(60), c.CniDaemon.VifAnnotationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), c.CniDaemon.Pyroute2Timeout);
        Assert.False(c.CniDaemon.DockerMode);
        Assert.Null(c.CniDaemon.NetnsProcDir);
        Assert.Equal(3, c.CniDaemon.CniFailuresCount);

        Assert.Equal("kuryr.lib.binding.drivers.veth", c.Binding.DefaultDriver);
        Assert.Equal(["kuryr.lib.binding.drivers.veth"], c.Binding.EnabledDrivers);
        Assert.Equal(string.Empty, c.Binding.LinkIface);
        Assert.Equal("eth", c.Binding.VethDstPrefix);

        Assert.Equal("/run/kuryr/kuryr_manage.sock", c.PoolManager.SockFile);
        Assert.Equal(8082, c.HealthServer.Port);
        Assert.Equal(-1, c.HealthServer.MaxMemoryUsage);
        Assert.Equal(8090, c.CniHealthServer.Port);
        Assert.Equal(-1, c.CniHealthServer.MaxMemoryUsage);
        Assert.Equal(9654, c.PrometheusExporter.ControllerExporterPort);
        Assert.Equal(9655, c.PrometheusExporter.CniExporterPort);
        Assert.Null(c.NamespaceSubnet.PodRouter);
        Assert.Null(c.NamespaceSubnet.PodSubnetPool);
        Assert.False(c.Default.Debug);

        foreach (var caching in new CachingOptions[] { c.NodeDriverCaching, c.SubnetCaching, c.NodesCaching })
        {
            Assert.True(caching.Caching);
            Assert.Equal(TimeSpan.FromHours(1), caching.CacheTime);
        }

        Assert.Equal(["127.0.0.1:6379"], c.Redis.Endpoints);
        Assert.Null(c.Redis.Password);
        Assert.Equal(0, c.Redis.Database);
        Assert.Equal("kuryr", c.Redis.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(5), c.Redis.ConnectTimeout);
    }

    [Fact]
    public void Every_option_can_be_set_from_the_file_under_its_kuryr_name()
    {
        var c = Conf.Load("""
            [DEFAULT]
            debug = yes
            [kubernetes]
            api_root = https://10.0.0.1:6443
            pod_vif_driver = nested-vlan
            vif_pool_driver = nested
            multi_vif_drivers = noop, npwg_multiple_interfaces
            enabled_handlers = vif,kuryrport,kuryrnetwork_population
            watch_reconcile_period = 0
            [pod_vif_nested]
            worker_nodes_subnets = 0f6a4f52-7c38-4ad4-a9b8-9b5c3b0a0f4f
            [vif_pool]
            ports_pool_max = 40
            ports_pool_min = 2
            ports_pool_batch = 3
            ports_pool_update_frequency = 5
            gc_grace_period = 0
            [neutron]
            auth_type = noauth
            timeout = 2.5
            [neutron_defaults]
            resource_tags = cluster-a, kuryr
            subnet_mapping = sriov:0f6a4f52-7c38-4ad4-a9b8-9b5c3b0a0f4f
            network_device_mtu = 1450
            [cni_daemon]
            docker_mode = true
            netns_proc_dir = /host_proc
            [subnet_caching]
            caching = off
            [redis]
            endpoints = 127.0.0.1:16379, [::1]:6380
            password = s3cret
            """);

        Assert.True(c.Default.Debug);
        Assert.Equal("https://10.0.0.1:6443", c.Kubernetes.ApiRoot);
        Assert.Equal(["noop", "npwg_multiple_interfaces"], c.Kubernetes.MultiVifDrivers);
        Assert.Equal(["vif", "kuryrport", "kuryrnetwork_population"], c.Kubernetes.EnabledHandlers);
        Assert.Equal(TimeSpan.Zero, c.Kubernetes.WatchReconcilePeriod);
        Assert.Equal(["0f6a4f52-7c38-4ad4-a9b8-9b5c3b0a0f4f"], c.PodVifNested.WorkerNodesSubnets);
        Assert.Equal((40, 2, 3, 5, 0), (c.VifPool.PortsPoolMax, c.VifPool.PortsPoolMin, c.VifPool.PortsPoolBatch, c.VifPool.PortsPoolUpdateFrequencySeconds, c.VifPool.GcGracePeriodSeconds));
        Assert.Equal("noauth", c.Neutron.AuthType);
        Assert.Equal(2.5, c.Neutron.Timeout);
        Assert.Equal(["cluster-a", "kuryr"], c.NeutronDefaults.ResourceTags);
        Assert.Equal("0f6a4f52-7c38-4ad4-a9b8-9b5c3b0a0f4f", c.NeutronDefaults.SubnetMapping["sriov"]);
        Assert.Equal(1450, c.NeutronDefaults.NetworkDeviceMtu);
        Assert.Equal("/host_proc", c.CniDaemon.NetnsProcDir);
        Assert.False(c.SubnetCaching.Caching);
        Assert.True(c.NodesCaching.Caching);
        Assert.Equal(["127.0.0.1:16379", "[::1]:6380"], c.Redis.Endpoints);
        Assert.Equal("s3cret", c.Redis.Password);
        Assert.Equal(new Dictionary<string, string> { ["nested-vlan"] = "nested" }, c.VifPoolMapping);
    }
}
