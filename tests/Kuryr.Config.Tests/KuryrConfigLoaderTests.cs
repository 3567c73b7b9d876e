using Kuryr.Config.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Kuryr.Config.Tests;

public sealed class KuryrConfigLoaderTests
{
    [Fact]
    public void Unknown_sections_and_options_are_warned_about_once_each()
    {
        var logger = new ListLogger();
        var env = Conf.Env(("KURYR_VIF_POOL__PORTS_POOL_MNI", "4"), ("KURYR_FANCY__THING", "1"));

        var config = Conf.Load("""
            [vif_pool]
            ports_pool_mni = 3
            ports_pool_mni = 4
            [fancy]
            thing = 1
            other = 2
            [vif_pool]
            frobnicate = yes
            """, env, logger);

        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.Equal(3, warnings.Count);

        var unknownSection = Assert.Single(warnings, e => e.EventId.Id == 1001);
        Assert.Equal("fancy", unknownSection.Fields["Section"]);
        Assert.Equal("kuryr.conf:6", unknownSection.Fields["Location"]);

        var misspelt = Assert.Single(warnings, e => e.EventId.Id == 1002 && (string?)e.Fields["Option"] == "ports_pool_mni");
        Assert.Equal("vif_pool", misspelt.Fields["Section"]);
        Assert.Equal("environment KURYR_VIF_POOL__PORTS_POOL_MNI", misspelt.Fields["Location"]);
        Assert.Contains("did you mean ports_pool_min?", misspelt.Message, StringComparison.Ordinal);

        var unknown = Assert.Single(warnings, e => e.EventId.Id == 1002 && (string?)e.Fields["Option"] == "frobnicate");
        Assert.Equal("kuryr.conf:8", unknown.Fields["Location"]);
        Assert.DoesNotContain("did you mean", unknown.Message, StringComparison.Ordinal);

        Assert.Equal(3, config.Warnings.Count);
        Assert.Equal(5, config.VifPool.PortsPoolMin);
    }

    [Fact]
    public void Known_kuryr_options_that_kuryr_node_ignores_are_not_warned_about()
    {
        var logger = new ListLogger();

        var config = Conf.Load("""
            [DEFAULT]
            use_stderr = true
            log_dir = /var/log/kuryr
            [kubernetes]
            service_subnets_driver = default
            [neutron]
            endpoint_type = internal
            [octavia_defaults]
            member_mode = L3
            [neutron_defaults]
            service_subnet = 0f6a4f52-7c38-4ad4-a9b8-9b5c3b0a0f4f
            """, logger: logger);

        Assert.Empty(config.Warnings);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
        var ignored = logger.Entries.Where(e => e.EventId.Id == 1005).ToList();
        Assert.Equal(6, ignored.Count);
        Assert.All(ignored, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.Contains(ignored, e => (string?)e.Fields["Section"] == "octavia_defaults" && (string?)e.Fields["Option"] == "*");
    }

    [Fact]
    public void The_kubernetes_client_options_of_kuryr_node_are_known()
    {
        var config = Conf.Load("[kubernetes]\nkubeconfig = /root/.kube/config\nkubeconfig_context = kind\nqps = 5.5\nburst = 7\nrequest_timeout = 12\nfinalizer_max_attempts = 3\n");

        Assert.Empty(config.Warnings);
        Assert.Equal(("/root/.kube/config", "kind", 5.5, 7, 12.0, 3),
            (config.Kubernetes.KubeConfig, config.Kubernetes.KubeConfigContext, config.Kubernetes.Qps, config.Kubernetes.Burst,
             config.Kubernetes.RequestTimeoutSeconds, config.Kubernetes.FinalizerMaxAttempts));
    }

    [Fact]
    public void Warnings_are_still_logged_when_the_load_fails()
    {
        var logger = new ListLogger();

        Assert.Throws<KuryrConfigException>(() => Conf.Load("[vif_pool]\nports_pool_mni = 1\nports_pool_batch = 0\n", logger: logger));

        Assert.Single(logger.Entries, e => e.EventId.Id == 1002);
        var error = Assert.Single(logger.Entries, e => e.EventId.Id == 1006);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Equal("ports_pool_batch", error.Fields["Option"]);
        Assert.Equal("kuryr.conf:3", error.Fields["Location"]);
    }

    [Fact]
    public void An_environment_variable_with_extra_separators_is_an_unknown_option()
    {
        var config = Conf.Load(string.Empty, Conf.Env(("KURYR_VIF_POOL__PORTS_POOL_MIN__X", "1")));

        var w = Assert.Single(config.Warnings);
        Assert.Equal(ConfigWarningKind.UnknownOption, w.Kind);
        Assert.Equal(("vif_pool", "ports_pool_min__x"), (w.Section, w.Option));
        Assert.Equal("environment KURYR_VIF_POOL__PORTS_POOL_MIN__X", w.Location);
    }
}
