using System.Reflection;
using Kuryr.Config.Options;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Binding;

/// <summary>
/// Every section Kuryr.Node reads, in sample-file order, with its options (found by reflection on
/// the options classes: a public settable property with <see cref="ConfigurationKeyNameAttribute"/>
/// is an option).
/// </summary>
public static class KuryrOptionsCatalog
{
    private static readonly (Type Type, string Help)[] SectionTypes =
    [
        (typeof(DefaultOptions), "oslo.log options (only debug is used; the others are accepted and ignored)."),
        (typeof(KubernetesOptions), "Kubernetes API access, driver selection and controller handlers."),
        (typeof(VifPoolOptions), "Ports pools."),
        (typeof(NeutronOptions), "Reaching Neutron (keystoneauth option names) and Kuryr.Node's protections for Neutron."),
        (typeof(NeutronDefaultsOptions), "Default project, subnet and security groups of pod ports."),
        (typeof(PodVifNestedOptions), "Nested mode (pods in VMs, trunk subports)."),
        (typeof(NamespaceSubnetOptions), "Per-namespace networks (pod_subnets_driver = namespace)."),
        (typeof(CniDaemonOptions), "The node agent (kuryr-daemon in Kuryr)."),
        (typeof(BindingOptions), "VIF binding on the node (kuryr-lib)."),
        (typeof(PoolManagerOptions), "The pool manager API."),
        (typeof(HealthServerOptions), "Controller health probes."),
        (typeof(CniHealthServerOptions), "Agent health probes."),
        (typeof(PrometheusExporterOptions), "Metrics."),
        (typeof(NodeDriverCachingOptions), "Cache of the node pod_vif label lookup."),
        (typeof(SubnetCachingOptions), "Cache of Neutron subnet lookups."),
        (typeof(NodesCachingOptions), "Cache of node IP and worker subnet lookups."),
        (typeof(RedisOptions), "Kuryr.Node only: Redis, the shared pool state."),
    ];

    private static readonly Lazy<IReadOnlyList<KuryrSectionDescriptor>> LazySections = new(Build);

    /// <summary>All sections, in sample-file order.</summary>
    public static IReadOnlyList<KuryrSectionDescriptor> Sections => LazySections.Value;

    /// <summary>The section named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static KuryrSectionDescriptor? FindSection(string name) =>
        Sections.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The section bound to <paramref name="optionsType"/>.</summary>
    public static KuryrSectionDescriptor ForType(Type optionsType) =>
        Sections.FirstOrDefault(s => s.OptionsType == optionsType)
        ?? throw new ArgumentException($"{optionsType} is not a Kuryr options section.", nameof(optionsType));

    private static List<KuryrSectionDescriptor> Build()
    {
        var result = new List<KuryrSectionDescriptor>();
        foreach (var (type, help) in SectionTypes)
        {
            var name = type.GetCustomAttribute<KuryrSectionAttribute>()?.Name
                ?? throw new InvalidOperationException($"{type} has no [KuryrSection].");
            var defaults = Activator.CreateInstance(type)!;
            var overlay = type == typeof(NeutronOptions) ? NeutronOptionsMetadata.Options : null;
            var options = OptionProperties(type)
                .Select(p => new KuryrOptionDescriptor(name, p, defaults, overlay?.GetValueOrDefault(p.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name)))
                .ToList();
            result.Add(new KuryrSectionDescriptor(name, type, help, options));
        }

        return result;
    }

    /// <summary>Option properties, base class first, each class in declaration order.</summary>
    private static IEnumerable<PropertyInfo> OptionProperties(Type type)
    {
        var chain = new Stack<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            chain.Push(t);
        }

        foreach (var t in chain)
        {
            foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                         .Where(p => p.CanWrite && p.GetCustomAttribute<ConfigurationKeyNameAttribute>() is not null)
                         .OrderBy(p => p.MetadataToken))
            {
                yield return p;
            }
        }
    }
}
