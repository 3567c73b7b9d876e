using System.Text;
using Kuryr.Config.Binding;
using Kuryr.Config.Options;

namespace Kuryr.Config.Validation;

/// <summary>
/// Rules that involve more than one option: pool sizes, the pool/pod driver mapping, ports that
/// would collide, and (per component) the options its drivers require.
/// </summary>
internal static class KuryrConfigValidator
{
    /// <summary>Longest unix socket path (sun_path is 108 bytes including the terminating NUL).</summary>
    internal const int MaxUnixSocketPathBytes = 107;

    public static void Validate(IReadOnlyDictionary<Type, BoundSection> sections, KuryrComponent component, ConfigDiagnostics diagnostics)
    {
        var k8s = sections[typeof(KubernetesOptions)];
        var pool = sections[typeof(VifPoolOptions)];
        var kubernetes = (KubernetesOptions)k8s.Instance;
        var vifPool = (VifPoolOptions)pool.Instance;

        ValidatePoolSizes(pool, vifPool, diagnostics);
        ValidatePoolMapping(k8s, kubernetes, pool, vifPool, diagnostics);
        ValidateSockets(sections, diagnostics);
        ValidatePorts(sections, diagnostics);

        var daemon = sections[typeof(CniDaemonOptions)];
        if (((CniDaemonOptions)daemon.Instance).DockerMode && ((CniDaemonOptions)daemon.Instance).NetnsProcDir is null)
        {
            diagnostics.Problems.Add(daemon.Missing("netns_proc_dir", "required when [cni_daemon] docker_mode = true (where the host's /proc is mounted)"));
        }

        // Kuryr's manager only handled nested pools; Kuryr.Node's manages every pool driver that keeps pools.
        if (kubernetes.EnableManager && VifPoolMapping.Resolve(kubernetes, vifPool).Values.All(d => d == KuryrDrivers.NoopPool))
        {
            diagnostics.Warnings.Add(new ConfigWarning(ConfigWarningKind.Questionable, k8s.LocationOf("enable_manager"), "kubernetes", "enable_manager",
                "the pool manager has no pools to manage: every pod_vif driver uses the noop pool driver"));
        }

        if (component.HasFlag(KuryrComponent.Controller))
        {
            ValidateControllerRequirements(sections, kubernetes, vifPool, diagnostics);
        }
    }

    private static void ValidatePoolSizes(BoundSection pool, VifPoolOptions o, ConfigDiagnostics diagnostics)
    {
        if (o.PortsPoolMax <= 0)
        {
            return;
        }

        // A pool is refilled whenever it is below min, and ports released above max are deleted:
        // min > max would create and delete ports forever.
        if (o.PortsPoolMin > o.PortsPoolMax)
        {
            diagnostics.Problems.Add(pool.Problem("ports_pool_min",
                $"must be <= [vif_pool] ports_pool_max ({o.PortsPoolMax}) when ports_pool_max > 0 (0 disables the maximum)"));
        }

        // A refill creates max(batch, min - size) ports, so a pool can reach min - 1 + batch; that
        // overshoots max (until released ports are deleted) but works.
        if (o.PortsPoolMin - 1 + o.PortsPoolBatch > o.PortsPoolMax && o.PortsPoolMin <= o.PortsPoolMax)
        {
            diagnostics.Warnings.Add(new ConfigWarning(ConfigWarningKind.Questionable, pool.LocationOf("ports_pool_batch"), "vif_pool", "ports_pool_batch",
                $"a refill can grow a pool to ports_pool_min - 1 + ports_pool_batch = {o.PortsPoolMin - 1 + o.PortsPoolBatch} ports, above ports_pool_max = {o.PortsPoolMax}; the excess is only trimmed when ports are released"));
        }
    }

    private static void ValidatePoolMapping(BoundSection k8s, KubernetesOptions kubernetes, BoundSection pool, VifPoolOptions vifPool, ConfigDiagnostics diagnostics)
    {
        var pairsHelp = "valid pool_driver→pod_vif_driver pairings: " + KuryrDrivers.DescribeValidPairs();
        var poolOk = CheckPairs(pool, "vif_pool_mapping", vifPool.VifPoolMapping.Select(kv => (Pod: kv.Key, Pool: kv.Value)), pairsHelp, diagnostics);

        if (vifPool.PoolsVifDrivers.Count > 0)
        {
            if (vifPool.VifPoolMapping.Count > 0)
            {
                diagnostics.Warnings.Add(new ConfigWarning(ConfigWarningKind.Deprecated, pool.LocationOf("pools_vif_drivers"), "vif_pool", "pools_vif_drivers",
                    "ignored because vif_pool_mapping is set"));
            }
            else
            {
                var pairs = vifPool.PoolsVifDrivers.Select(kv => (Pod: kv.Value, Pool: kv.Key)).ToList();
                CheckPairs(pool, "pools_vif_drivers", pairs, pairsHelp, diagnostics);
                foreach (var dup in pairs.GroupBy(p => p.Pod, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    diagnostics.Problems.Add(pool.Problem("pools_vif_drivers",
                        $"pod_vif driver \"{dup.Key}\" is served by more than one pool driver ({string.Join(", ", dup.Select(p => p.Pool))}); each pod_vif driver needs exactly one pool driver (use vif_pool_mapping)"));
                }
            }
        }

        var mapping = VifPoolMapping.Resolve(kubernetes, vifPool);
        if (vifPool.VifPoolMapping.Count == 0 && vifPool.PoolsVifDrivers.Count == 0)
        {
            // Single pair: [kubernetes] pod_vif_driver served by [kubernetes] vif_pool_driver.
            if (kubernetes.VifPoolDriver == KuryrDrivers.MultiPool)
            {
                diagnostics.Problems.Add(k8s.Problem("vif_pool_driver",
                    "multi_pool needs [vif_pool] vif_pool_mapping (pod_vif_driver:pool_driver pairs, e.g. nested-vlan:nested,neutron-vif:neutron)"));
            }
            else if (KuryrDrivers.PodVif.Contains(kubernetes.PodVifDriver) && KuryrDrivers.VifPool.Contains(kubernetes.VifPoolDriver)
                     && !KuryrDrivers.IsValidPair(kubernetes.VifPoolDriver, kubernetes.PodVifDriver))
            {
                diagnostics.Problems.Add(k8s.Problem("vif_pool_driver",
                    $"cannot serve [kubernetes] pod_vif_driver = {kubernetes.PodVifDriver}; {pairsHelp}"));
            }
        }
        else if (poolOk && mapping.Count > 0 && !mapping.ContainsKey(kubernetes.PodVifDriver))
        {
            diagnostics.Warnings.Add(new ConfigWarning(ConfigWarningKind.Questionable, k8s.LocationOf("pod_vif_driver"), "kubernetes", "pod_vif_driver",
                $"\"{kubernetes.PodVifDriver}\" has no pool driver in the vif_pool mapping ({string.Join(",", mapping.Select(kv => kv.Key + ":" + kv.Value))}); pods on nodes without a pod_vif label cannot get ports"));
        }
    }

    private static bool CheckPairs(BoundSection pool, string option, IEnumerable<(string Pod, string Pool)> pairs, string pairsHelp, ConfigDiagnostics diagnostics)
    {
        var ok = true;
        foreach (var (pod, poolDriver) in pairs)
        {
            string? why = null;
            if (!KuryrDrivers.PodVif.Contains(pod, StringComparer.Ordinal))
            {
                why = $"unknown pod_vif driver \"{pod}\" (allowed: {string.Join(", ", KuryrDrivers.PodVif)})";
            }
            else if (!KuryrDrivers.ValidPoolPodPairs.ContainsKey(poolDriver))
            {
                why = $"unknown pool driver \"{poolDriver}\" (allowed: {string.Join(", ", KuryrDrivers.ValidPoolPodPairs.Keys)})";
            }
            else if (!KuryrDrivers.IsValidPair(poolDriver, pod))
            {
                why = $"pool driver \"{poolDriver}\" cannot serve pod_vif driver \"{pod}\"";
            }

            if (why is not null)
            {
                ok = false;
                diagnostics.Problems.Add(pool.Problem(option, $"{why}; {pairsHelp}"));
            }
        }

        return ok;
    }

    private static void ValidateSockets(IReadOnlyDictionary<Type, BoundSection> sections, ConfigDiagnostics diagnostics)
    {
        void Check(Type type, string option, string path)
        {
            if (Encoding.UTF8.GetByteCount(path) > MaxUnixSocketPathBytes)
            {
                diagnostics.Problems.Add(sections[type].Problem(option, $"must be a unix socket path of at most {MaxUnixSocketPathBytes} bytes"));
            }
        }

        Check(typeof(CniDaemonOptions), "socket_path", ((CniDaemonOptions)sections[typeof(CniDaemonOptions)].Instance).SocketPath);
        Check(typeof(PoolManagerOptions), "sock_file", ((PoolManagerOptions)sections[typeof(PoolManagerOptions)].Instance).SockFile);
    }

    private static void ValidatePorts(IReadOnlyDictionary<Type, BoundSection> sections, ConfigDiagnostics diagnostics)
    {
        var exporter = sections[typeof(PrometheusExporterOptions)];
        var metrics = (PrometheusExporterOptions)exporter.Instance;
        // 0 (a free port picked at start, tests) never collides.
        if (metrics.ControllerExporterPort != 0 && ((HealthServerOptions)sections[typeof(HealthServerOptions)].Instance).Port == metrics.ControllerExporterPort)
        {
            diagnostics.Problems.Add(exporter.Problem("controller_exporter_port", "must differ from [health_server] port (both listen in the controller)"));
        }

        if (metrics.CniExporterPort != 0 && ((CniHealthServerOptions)sections[typeof(CniHealthServerOptions)].Instance).Port == metrics.CniExporterPort)
        {
            diagnostics.Problems.Add(exporter.Problem("cni_exporter_port", "must differ from [cni_health_server] port (both listen in the agent)"));
        }
    }

    private static void ValidateControllerRequirements(IReadOnlyDictionary<Type, BoundSection> sections, KubernetesOptions kubernetes, VifPoolOptions vifPool, ConfigDiagnostics diagnostics)
    {
        // Leader election (client-go's rules): lease > renew deadline > 1.2 x retry period.
        var k8s = sections[typeof(KubernetesOptions)];
        if (kubernetes.LeaderElectionRenewDeadlineSeconds >= kubernetes.LeaderElectionLeaseDurationSeconds)
        {
            diagnostics.Problems.Add(k8s.Problem("leader_election_renew_deadline", "must be less than leader_election_lease_duration (" + kubernetes.LeaderElectionLeaseDurationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")"));
        }

        if (kubernetes.LeaderElectionRenewDeadlineSeconds <= 1.2 * kubernetes.LeaderElectionRetryPeriodSeconds)
        {
            diagnostics.Problems.Add(k8s.Problem("leader_election_retry_period", "1.2 x leader_election_retry_period must be less than leader_election_renew_deadline (" + kubernetes.LeaderElectionRenewDeadlineSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")"));
        }

        var defaults = sections[typeof(NeutronDefaultsOptions)];
        var nd = (NeutronDefaultsOptions)defaults.Instance;
        if (kubernetes.PodProjectDriver == "default" && string.IsNullOrEmpty(nd.Project))
        {
            diagnostics.Problems.Add(defaults.Missing("project", "required when [kubernetes] pod_project_driver = default"));
        }

        if (kubernetes.PodSubnetsDriver == "default" && string.IsNullOrEmpty(nd.PodSubnet))
        {
            diagnostics.Problems.Add(defaults.Missing("pod_subnet", "required when [kubernetes] pod_subnets_driver = default"));
        }

        if (kubernetes.PodSecurityGroupsDriver == "default" && nd.PodSecurityGroups.Count == 0)
        {
            diagnostics.Problems.Add(defaults.Missing("pod_security_groups", "required (at least one security group ID) when [kubernetes] pod_security_groups_driver = default"));
        }

        if (kubernetes.PodSubnetsDriver == "namespace")
        {
            var ns = sections[typeof(NamespaceSubnetOptions)];
            var nso = (NamespaceSubnetOptions)ns.Instance;
            if (nso.PodRouter is null)
            {
                diagnostics.Problems.Add(ns.Missing("pod_router", "required when [kubernetes] pod_subnets_driver = namespace"));
            }

            if (nso.PodSubnetPool is null)
            {
                diagnostics.Problems.Add(ns.Missing("pod_subnet_pool", "required when [kubernetes] pod_subnets_driver = namespace"));
            }
        }

        var nestedUsed = VifPoolMapping.Resolve(kubernetes, vifPool).Keys.Append(kubernetes.PodVifDriver)
            .Any(d => d.StartsWith("nested-", StringComparison.Ordinal));
        if (nestedUsed && kubernetes.NodesSubnetsDriver == "config")
        {
            var nested = sections[typeof(PodVifNestedOptions)];
            if (((PodVifNestedOptions)nested.Instance).WorkerNodesSubnets.Count == 0)
            {
                diagnostics.Problems.Add(nested.Missing("worker_nodes_subnets", "required (at least one subnet ID) when a nested pod_vif driver is used with [kubernetes] nodes_subnets_driver = config"));
            }
        }
    }
}
