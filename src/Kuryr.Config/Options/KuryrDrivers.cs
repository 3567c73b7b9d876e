namespace Kuryr.Config.Options;

/// <summary>Kuryr's driver and handler names (the stevedore entry-point names, kept verbatim).</summary>
public static class KuryrDrivers
{
    public const string NeutronVif = "neutron-vif";
    public const string NestedVlan = "nested-vlan";
    public const string NestedMacvlan = "nested-macvlan";
    public const string NestedDpdk = "nested-dpdk";

    public const string NoopPool = "noop";
    public const string NeutronPool = "neutron";
    public const string NestedPool = "nested";
    public const string MultiPool = "multi_pool";

    /// <summary><c>[kubernetes] pod_vif_driver</c> values.</summary>
    public static readonly IReadOnlyList<string> PodVif = [NeutronVif, NestedVlan, NestedMacvlan, NestedDpdk];

    /// <summary><c>[kubernetes] vif_pool_driver</c> values.</summary>
    public static readonly IReadOnlyList<string> VifPool = [NoopPool, NeutronPool, NestedPool, MultiPool];

    /// <summary><c>[kubernetes] multi_vif_drivers</c> values.</summary>
    public static readonly IReadOnlyList<string> MultiVif = ["noop", "npwg_multiple_interfaces", "additional_subnets"];

    /// <summary><c>[kubernetes] enabled_handlers</c> values (Kuryr's entry-point names).</summary>
    public static readonly IReadOnlyList<string> Handlers =
    [
        "vif", "kuryrport", "namespace", "kuryrnetwork", "kuryrnetwork_population", "pod_label", "policy",
        "kuryrnetworkpolicy", "service", "endpoints", "kuryrloadbalancer", "openshift_machine",
    ];

    /// <summary>
    /// Kuryr's <c>VALID_MULTI_POD_POOLS_OPTS</c>: which pod_vif drivers each pool driver can serve.
    /// macvlan and dpdk cannot be pooled.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ValidPoolPodPairs =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [NoopPool] = [NeutronVif, NestedVlan, NestedMacvlan, NestedDpdk],
            [NeutronPool] = [NeutronVif],
            [NestedPool] = [NestedVlan],
        };

    /// <summary>True when <paramref name="poolDriver"/> can serve <paramref name="podVifDriver"/>.</summary>
    public static bool IsValidPair(string poolDriver, string podVifDriver) =>
        ValidPoolPodPairs.TryGetValue(poolDriver, out var pods) && pods.Contains(podVifDriver, StringComparer.Ordinal);

    /// <summary><c>noop→{neutron-vif, nested-vlan, …}, neutron→{neutron-vif}, nested→{nested-vlan}</c>, for messages.</summary>
    public static string DescribeValidPairs() =>
        string.Join(", ", ValidPoolPodPairs.Select(kv => $"{kv.Key}→{{{string.Join(", ", kv.Value)}}}"));
}
