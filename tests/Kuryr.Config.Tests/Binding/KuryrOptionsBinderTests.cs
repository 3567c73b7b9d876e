using Kuryr.Config.Tests.Support;

namespace Kuryr.Config.Tests.Binding;

public sealed class KuryrOptionsBinderTests
{
    [Theory]
    [InlineData("[vif_pool]\nports_pool_min = -1", "kuryr.conf:2 [vif_pool] ports_pool_min = \"-1\": must be an integer >= 0")]
    [InlineData("[vif_pool]\nports_pool_batch = ten", "kuryr.conf:2 [vif_pool] ports_pool_batch = \"ten\": must be an integer >= 1")]
    [InlineData("[vif_pool]\nports_pool_update_frequency = 0", "kuryr.conf:2 [vif_pool] ports_pool_update_frequency = \"0\": must be an integer >= 1")]
    [InlineData("[health_server]\nport = 70000", "kuryr.conf:2 [health_server] port = \"70000\": must be an integer between 0 and 65535")]
    [InlineData("[health_server]\nmax_memory_usage = 0", "kuryr.conf:2 [health_server] max_memory_usage = \"0\": must be an integer >= 1, or -1")]
    [InlineData("[neutron_defaults]\nnetwork_device_mtu = 40", "kuryr.conf:2 [neutron_defaults] network_device_mtu = \"40\": must be an integer between 68 and 65535, or 0")]
    [InlineData("[neutron]\ntimeout = 0", "kuryr.conf:2 [neutron] timeout = \"0\": must be a number > 0")]
    [InlineData("[kubernetes]\nport_debug = maybe", "kuryr.conf:2 [kubernetes] port_debug = \"maybe\": must be a boolean (true/false, yes/no, on/off, 1/0)")]
    [InlineData("[kubernetes]\npod_vif_driver = sriov", "kuryr.conf:2 [kubernetes] pod_vif_driver = \"sriov\": must be one of: neutron-vif, nested-vlan, nested-macvlan, nested-dpdk")]
    [InlineData("[kubernetes]\nvif_pool_driver = Neutron", "kuryr.conf:2 [kubernetes] vif_pool_driver = \"Neutron\": must be one of: noop, neutron, nested, multi_pool")]
    [InlineData("[kubernetes]\nmulti_vif_drivers = noop,sriov", "kuryr.conf:2 [kubernetes] multi_vif_drivers = \"noop,sriov\": item \"sriov\" is not allowed; must be a comma-separated list of: noop, npwg_multiple_interfaces, additional_subnets, spec_ports")]
    [InlineData("[kubernetes]\nenabled_handlers = vif,podlabel", "kuryr.conf:2 [kubernetes] enabled_handlers = \"vif,podlabel\": item \"podlabel\" is not allowed; must be a comma-separated list of: vif, kuryrport, namespace, kuryrnetwork, kuryrnetwork_population, pod_label, policy, kuryrnetworkpolicy, service, endpoints, kuryrloadbalancer, openshift_machine")]
    [InlineData("[kubernetes]\napi_root = localhost:6443", "kuryr.conf:2 [kubernetes] api_root = \"localhost:6443\": must be an absolute http:// or https:// URL")]
    [InlineData("[kubernetes]\nadditional_ifname_prefix = net/", "kuryr.conf:2 [kubernetes] additional_ifname_prefix = \"net/\": must be an interface name prefix (1-12 characters, no '/', ':' or whitespace)")]
    [InlineData("[neutron_defaults]\npod_subnet = my-subnet", "kuryr.conf:2 [neutron_defaults] pod_subnet = \"my-subnet\": must be a UUID (or empty)")]
    [InlineData("[neutron_defaults]\nresource_tags = a/b", "kuryr.conf:2 [neutron_defaults] resource_tags = \"a/b\": item \"a/b\" is not a Neutron tag (1-60 characters, no ',' or '/'); must be a comma-separated list of items that are each a Neutron tag (1-60 characters, no ',' or '/')")]
    [InlineData("[neutron_defaults]\nsubnet_mapping = sriov", "kuryr.conf:2 [neutron_defaults] subnet_mapping = \"sriov\": pair \"sriov\" has no ':'; must be comma-separated key:value pairs whose values are each a UUID")]
    [InlineData("[neutron_defaults]\nsubnet_mapping = sriov:x", "kuryr.conf:2 [neutron_defaults] subnet_mapping = \"sriov:x\": value \"x\" of key \"sriov\" is not a UUID; must be comma-separated key:value pairs whose values are each a UUID")]
    [InlineData("[cni_daemon]\nbind_address = 127.0.0.1", "kuryr.conf:2 [cni_daemon] bind_address = \"127.0.0.1\": must be host:port (port 1-65535, IPv6 host in brackets)")]
    [InlineData("[cni_daemon]\nsocket_path = run/kuryr.sock", "kuryr.conf:2 [cni_daemon] socket_path = \"run/kuryr.sock\": must be an absolute path")]
    [InlineData("[binding]\ndefault_driver = veth", "kuryr.conf:2 [binding] default_driver = \"veth\": must be one of: kuryr.lib.binding.drivers.veth, kuryr.lib.binding.drivers.vlan, kuryr.lib.binding.drivers.macvlan, kuryr.lib.binding.drivers.ipvlan, kuryr.lib.binding.drivers.hw_veb")]
    [InlineData("[redis]\nkey_prefix = my prefix", "kuryr.conf:2 [redis] key_prefix = \"my prefix\": must be a non-empty name without whitespace")]
    [InlineData("[redis]\nendpoints = localhost", "kuryr.conf:2 [redis] endpoints = \"localhost\": item \"localhost\" is not host:port (port 1-65535, IPv6 host in brackets); must be a comma-separated list of items that are each host:port (port 1-65535, IPv6 host in brackets)")]
    public void Each_kind_of_bad_value_names_location_section_option_value_and_what_is_allowed(string text, string expected)
    {
        var ex = Conf.Fails(text);

        Assert.Equal(expected, Assert.Single(ex.Problems).ToString());
    }

    [Fact]
    public void All_problems_are_reported_at_once()
    {
        var ex = Conf.Fails("""
            [kubernetes]
            pod_vif_driver = sriov
            use_events = perhaps
            [vif_pool]
            ports_pool_min = -1
            ports_pool_batch = 0
            [redis]
            database = x
            """);

        Assert.Equal(
            ["kuryr.conf:2 [kubernetes] pod_vif_driver", "kuryr.conf:3 [kubernetes] use_events", "kuryr.conf:5 [vif_pool] ports_pool_min",
             "kuryr.conf:6 [vif_pool] ports_pool_batch", "kuryr.conf:8 [redis] database"],
            ex.Problems.Select(p => $"{p.Location} [{p.Section}] {p.Option}"));
        Assert.StartsWith("Invalid Kuryr configuration (5 problems):", ex.Message, StringComparison.Ordinal);
        Assert.All(ex.Problems, p => Assert.Contains(p.ToString(), ex.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Secrets_are_never_shown_in_problems_or_logs()
    {
        var logger = new ListLogger();
        var env = Conf.Env(("KURYR_NEUTRON__PASSWORD", "hunter2"), ("KURYR_NEUTRON__TIMEOUT", "soon"));

        var ex = Assert.Throws<KuryrConfigException>(() => Conf.Load("[redis]\npassword = hunter2\ndatabase = -3\n", env, logger));

        Assert.Equal(2, ex.Problems.Count);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
        Assert.All(logger.Entries, e => Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_problem_about_a_secret_option_masks_its_value()
    {
        var section = KuryrConfig.Sections.Single(s => s.Name == "redis");
        var bound = new Kuryr.Config.Binding.BoundSection(section, new Kuryr.Config.Options.RedisOptions { Password = "hunter2" });
        bound.Sources["password"] = ("kuryr.conf:3", "hunter2");

        var problem = bound.Problem("password", "rejected by the server");

        Assert.Equal("kuryr.conf:3 [redis] password = \"***\": rejected by the server", problem.ToString());
    }

    [Fact]
    public void Empty_values_unset_optional_strings_but_not_numbers()
    {
        var config = Conf.Load("[kubernetes]\ntoken_file =\nssl_ca_crt_file =\n[neutron_defaults]\nproject =\n");
        Assert.Null(config.Kubernetes.TokenFile);
        Assert.Null(config.Kubernetes.SslCaCrtFile);
        Assert.Null(config.NeutronDefaults.Project);

        var ex = Conf.Fails("[vif_pool]\nports_pool_min =\n");
        Assert.Equal("kuryr.conf:2 [vif_pool] ports_pool_min = \"\": must be an integer >= 0", Assert.Single(ex.Problems).ToString());
    }

    [Fact]
    public void A_deprecated_name_is_read_with_a_warning()
    {
        var logger = new ListLogger();

        var config = Conf.Load("[pod_vif_nested]\nworker_nodes_subnet = 0f6a4f52-7c38-4ad4-a9b8-9b5c3b0a0f4f\n[binding]\ndriver = kuryr.lib.binding.drivers.vlan\n", logger: logger);

        Assert.Equal(["0f6a4f52-7c38-4ad4-a9b8-9b5c3b0a0f4f"], config.PodVifNested.WorkerNodesSubnets);
        Assert.Equal("kuryr.lib.binding.drivers.vlan", config.Binding.DefaultDriver);
        Assert.Equal(
            ["kuryr.conf:2 [pod_vif_nested] worker_nodes_subnet: deprecated name; use worker_nodes_subnets",
             "kuryr.conf:4 [binding] driver: deprecated name; use default_driver"],
            config.Warnings.Select(w => w.ToString()));
        Assert.Equal(2, logger.Entries.Count(e => e.EventId.Id == 1003));
    }

    [Fact]
    public void The_current_name_wins_over_a_deprecated_one()
    {
        var config = Conf.Load("[binding]\ndriver = kuryr.lib.binding.drivers.vlan\ndefault_driver = kuryr.lib.binding.drivers.macvlan\n");

        Assert.Equal("kuryr.lib.binding.drivers.macvlan", config.Binding.DefaultDriver);
        Assert.Contains(config.Warnings, w => w.Option == "driver" && w.Message.Contains("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Option_names_are_case_insensitive()
    {
        Assert.Equal(3, Conf.Load("[VIF_POOL]\nPorts_Pool_Min = 3\n").VifPool.PortsPoolMin);
    }
}
