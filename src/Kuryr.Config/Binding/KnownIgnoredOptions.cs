namespace Kuryr.Config.Binding;

/// <summary>
/// Kuryr options Kuryr.Node accepts without using them (features it does not implement, oslo.log
/// and keystoneauth options it has no use for). They are logged at debug level, not warned about.
/// </summary>
public static class KnownIgnoredOptions
{
    /// <summary>Whole sections of Kuryr that Kuryr.Node does not use.</summary>
    public static readonly IReadOnlySet<string> Sections = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "octavia_defaults", "cache_defaults", "sriov", "vhostuser", "nested_dpdk", "ingress", "cache", "oslo_concurrency",
    };

    /// <summary>Options of mapped sections that Kuryr.Node does not use.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Options = new Dictionary<string, IReadOnlySet<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["DEFAULT"] = Set(
            // oslo.log
            "verbose", "use_stderr", "log_file", "log_dir", "log_config_append", "log_date_format", "watch_log_file",
            "use_syslog", "use_journal", "use_json", "use_eventlog", "syslog_log_facility", "logging_context_format_string",
            "logging_default_format_string", "logging_debug_format_suffix", "logging_exception_prefix",
            "logging_user_identity_format", "default_log_levels", "publish_errors", "instance_format", "instance_uuid_format",
            "rate_limit_interval", "rate_limit_burst", "rate_limit_except_level", "fatal_deprecations", "log_rotation_type",
            "log_rotate_interval", "log_rotate_interval_type", "max_logfile_count", "max_logfile_size_mb",
            // kuryr-lib / kuryr-kubernetes core
            "pybasedir", "bindir", "subnetpool_name_prefix", "deployment_type"),
        ["kubernetes"] = Set(
            "service_project_driver", "namespace_project_driver", "network_policy_project_driver", "service_subnets_driver",
            "service_security_groups_driver", "endpoints_lbaas_driver", "endpoints_driver_octavia_provider",
            "service_public_ip_driver", "network_policy_driver"),
        ["neutron"] = Set(
            // kuryr-lib
            "enable_dhcp", "default_subnetpool_v4", "default_subnetpool_v6", "vif_plugging_is_fatal", "vif_plugging_timeout", "endpoint_type",
            // keystoneauth session/auth options not used by Kuryr.Node
            "auth_section", "certfile", "keyfile", "collect_timing", "split_loggers", "domain_id", "domain_name", "system_scope",
            "trust_id", "default_domain_id", "default_domain_name", "tenant_id", "tenant_name"),
        ["neutron_defaults"] = Set("service_subnet", "external_svc_net", "external_svc_subnet", "lbaas_activation_timeout"),
    };

    /// <summary>True when <c>[section] option</c> (or the whole section, when option is null) is known and ignored.</summary>
    public static bool IsIgnored(string section, string? option) =>
        Sections.Contains(section)
        || (option is not null && Options.TryGetValue(section, out var set) && set.Contains(option));

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.OrdinalIgnoreCase);
}
