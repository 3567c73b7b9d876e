using Kuryr.Config.Tests.Support;

namespace Kuryr.Config.Tests.Validation;

public sealed class KuryrConfigValidatorTests
{
    private const string Uuid = "0f6a4f52-7c38-4ad4-a9b8-9b5c3b0a0f4f";

    [Fact]
    public void Vif_pool_mapping_is_used_as_given()
    {
        var config = Conf.Load("[kubernetes]\nvif_pool_driver = multi_pool\n[vif_pool]\nvif_pool_mapping = nested-vlan:nested,neutron-vif:neutron\n");

        Assert.Equal(new Dictionary<string, string> { ["nested-vlan"] = "nested", ["neutron-vif"] = "neutron" }, config.VifPoolMapping);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Invalid_pairs_in_vif_pool_mapping_list_the_valid_pairings()
    {
        var ex = Conf.Fails("[vif_pool]\nvif_pool_mapping = nested-macvlan:nested,neutron-vif:multi_pool,sriov:noop\n");

        Assert.Equal(3, ex.Problems.Count);
        Assert.All(ex.Problems, p =>
        {
            Assert.Equal("kuryr.conf:2", p.Location);
            Assert.Equal("vif_pool_mapping", p.Option);
            Assert.Equal("nested-macvlan:nested,neutron-vif:multi_pool,sriov:noop", p.Value);
            Assert.EndsWith("valid pool_driver→pod_vif_driver pairings: noop→{neutron-vif, nested-vlan, nested-macvlan, nested-dpdk}, neutron→{neutron-vif}, nested→{nested-vlan}", p.Reason, StringComparison.Ordinal);
        });
        Assert.StartsWith("pool driver \"nested\" cannot serve pod_vif driver \"nested-macvlan\"", ex.Problems[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("unknown pool driver \"multi_pool\"", ex.Problems[1].Reason, StringComparison.Ordinal);
        Assert.StartsWith("unknown pod_vif driver \"sriov\"", ex.Problems[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Deprecated_pools_vif_drivers_is_inverted_when_vif_pool_mapping_is_empty()
    {
        var logger = new ListLogger();

        var config = Conf.Load("[vif_pool]\npools_vif_drivers = nested:nested-vlan,neutron:neutron-vif\n", logger: logger);

        Assert.Equal(new Dictionary<string, string> { ["nested-vlan"] = "nested", ["neutron-vif"] = "neutron" }, config.VifPoolMapping);
        var w = Assert.Single(config.Warnings);
        Assert.Equal(ConfigWarningKind.Deprecated, w.Kind);
        Assert.Contains("use vif_pool_mapping", w.Message, StringComparison.Ordinal);
        Assert.Single(logger.Entries, e => e.EventId.Id == 1003);
    }

    [Fact]
    public void Pools_vif_drivers_is_ignored_when_vif_pool_mapping_is_set()
    {
        var config = Conf.Load("[vif_pool]\nvif_pool_mapping = neutron-vif:neutron\npools_vif_drivers = nested:nested-vlan\n");

        Assert.Equal(new Dictionary<string, string> { ["neutron-vif"] = "neutron" }, config.VifPoolMapping);
        Assert.Contains(config.Warnings, w => w.Option == "pools_vif_drivers" && w.Message == "ignored because vif_pool_mapping is set");
    }

    [Fact]
    public void Pools_vif_drivers_pairs_are_validated_and_may_not_map_one_pod_driver_twice()
    {
        var ex = Conf.Fails("[vif_pool]\npools_vif_drivers = nested:neutron-vif,neutron:neutron-vif\n");

        Assert.Equal(2, ex.Problems.Count);
        Assert.StartsWith("pool driver \"nested\" cannot serve pod_vif driver \"neutron-vif\"", ex.Problems[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("pod_vif driver \"neutron-vif\" is served by more than one pool driver (nested, neutron)", ex.Problems[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_mapping_the_kubernetes_pair_must_be_valid()
    {
        Assert.Equal(new Dictionary<string, string> { ["nested-vlan"] = "nested" },
            Conf.Load("[kubernetes]\npod_vif_driver = nested-vlan\nvif_pool_driver = nested\n").VifPoolMapping);

        var ex = Conf.Fails("[kubernetes]\nvif_pool_driver = nested\n");
        Assert.Equal(
            "kuryr.conf:2 [kubernetes] vif_pool_driver = \"nested\": cannot serve [kubernetes] pod_vif_driver = neutron-vif; valid pool_driver→pod_vif_driver pairings: noop→{neutron-vif, nested-vlan, nested-macvlan, nested-dpdk}, neutron→{neutron-vif}, nested→{nested-vlan}",
            Assert.Single(ex.Problems).ToString());
    }

    [Fact]
    public void Multi_pool_needs_a_mapping()
    {
        var ex = Conf.Fails("[kubernetes]\nvif_pool_driver = multi_pool\n");

        Assert.Contains("multi_pool needs [vif_pool] vif_pool_mapping", Assert.Single(ex.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapping_without_the_default_pod_vif_driver_is_warned_about()
    {
        var config = Conf.Load("[vif_pool]\nvif_pool_mapping = nested-vlan:nested\n");

        var w = Assert.Single(config.Warnings);
        Assert.Equal(("kubernetes", "pod_vif_driver", "(default)"), (w.Section, w.Option, w.Location));
        Assert.Contains("pods on nodes without a pod_vif label cannot get ports", w.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ports_pool_min_above_a_set_max_is_an_error()
    {
        var ex = Conf.Fails("[vif_pool]\nports_pool_max = 4\nports_pool_min = 5\nports_pool_batch = 1\n");

        Assert.Equal("kuryr.conf:3 [vif_pool] ports_pool_min = \"5\": must be <= [vif_pool] ports_pool_max (4) when ports_pool_max > 0 (0 disables the maximum)",
            Assert.Single(ex.Problems).ToString());
    }

    [Fact]
    public void A_batch_that_overshoots_a_set_max_is_a_warning()
    {
        var config = Conf.Load("[vif_pool]\nports_pool_max = 12\n");

        var w = Assert.Single(config.Warnings);
        Assert.Equal(("vif_pool", "ports_pool_batch", "(default)"), (w.Section, w.Option, w.Location));
        Assert.Contains("= 14 ports, above ports_pool_max = 12", w.Message, StringComparison.Ordinal);

        Assert.Empty(Conf.Load("[vif_pool]\nports_pool_max = 14\n").Warnings);
        Assert.Empty(Conf.Load("[vif_pool]\nports_pool_max = 0\nports_pool_batch = 500\n").Warnings);
    }

    [Fact]
    public void Docker_mode_needs_netns_proc_dir()
    {
        var ex = Conf.Fails("[cni_daemon]\ndocker_mode = true\n");

        Assert.Equal("(default) [cni_daemon] netns_proc_dir: required when [cni_daemon] docker_mode = true (where the host's /proc is mounted)",
            Assert.Single(ex.Problems).ToString());
    }

    [Fact]
    public void Unix_socket_paths_must_fit_sun_path()
    {
        var longPath = "/run/" + new string('k', 103);

        var ex = Conf.Fails($"[cni_daemon]\nsocket_path = {longPath}\n");

        Assert.Equal("socket_path", Assert.Single(ex.Problems).Option);
        Assert.Contains("at most 107 bytes", ex.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Equal(longPath[..^1], Conf.Load($"[cni_daemon]\nsocket_path = {longPath[..^1]}\n").CniDaemon.SocketPath);
    }

    [Fact]
    public void Health_and_metrics_ports_of_one_process_must_differ()
    {
        var ex = Conf.Fails("[prometheus_exporter]\ncontroller_exporter_port = 8082\ncni_exporter_port = 8090\n");

        Assert.Equal(["controller_exporter_port", "cni_exporter_port"], ex.Problems.Select(p => p.Option));
    }

    [Fact]
    public void Enabling_the_pool_manager_without_any_pooling_driver_is_warned_about()
    {
        Assert.Contains(Conf.Load("[kubernetes]\nenable_manager = true\nvif_pool_driver = noop\n").Warnings, w => w.Option == "enable_manager");
        Assert.Empty(Conf.Load("[kubernetes]\nenable_manager = true\npod_vif_driver = nested-vlan\nvif_pool_driver = nested\n").Warnings);
    }

    [Fact]
    public void Bug_enabling_the_pool_manager_for_neutron_pools_was_warned_about_as_if_it_only_managed_nested_pools()
    {
        Assert.Empty(Conf.Load("[kubernetes]\nenable_manager = true\nvif_pool_driver = neutron\n").Warnings);
    }

    [Fact]
    public void The_controller_requires_what_its_default_drivers_use()
    {
        var ex = Conf.Fails("[kubernetes]\npod_vif_driver = nested-vlan\n", component: KuryrComponent.Controller);

        Assert.Equal(
            ["[neutron_defaults] project", "[neutron_defaults] pod_subnet", "[neutron_defaults] pod_security_groups", "[pod_vif_nested] worker_nodes_subnets"],
            ex.Problems.Select(p => $"[{p.Section}] {p.Option}"));
        Assert.All(ex.Problems, p => Assert.Null(p.Value));

        var ok = Conf.Load($"""
            [kubernetes]
            pod_vif_driver = nested-vlan
            [neutron_defaults]
            project = 6bd4d4c2c3e54b8a8b3e0b3b5b1f1c11
            pod_subnet = {Uuid}
            pod_security_groups = {Uuid}
            [pod_vif_nested]
            worker_nodes_subnets = {Uuid}
            """, component: KuryrComponent.Controller);
        Assert.Equal(Uuid, ok.NeutronDefaults.PodSubnet);

        // The agent does not need them.
        Assert.Null(Conf.Load("[kubernetes]\npod_vif_driver = nested-vlan\n", component: KuryrComponent.Agent).NeutronDefaults.Project);
    }

    [Fact]
    public void The_namespace_subnet_driver_requires_router_and_subnet_pool()
    {
        var ex = Conf.Fails($"[kubernetes]\npod_subnets_driver = namespace\npod_security_groups_driver = policy\n[neutron_defaults]\nproject = p\n", component: KuryrComponent.Controller);

        Assert.Equal(["pod_router", "pod_subnet_pool"], ex.Problems.Select(p => p.Option));
    }
}
