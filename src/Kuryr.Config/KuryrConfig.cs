using Kuryr.Config.Binding;
using Kuryr.Config.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Config;

/// <summary>
/// Every <c>kuryr.conf</c> section, bound and validated. Build it with <see cref="Load(string?, IReadOnlyDictionary{string, string}?, ILogger?, KuryrComponent)"/>
/// (CLIs, tests) or <see cref="FromConfiguration"/>; services get the sections as
/// <c>IOptions&lt;T&gt;</c> through <c>services.AddKuryrConfig(...)</c>.
/// </summary>
public sealed class KuryrConfig
{
    /// <summary>Kuryr's default location of the file.</summary>
    public const string DefaultPath = "/etc/kuryr/kuryr.conf";

    private readonly IReadOnlyDictionary<Type, object> _sections;

    internal KuryrConfig(IReadOnlyDictionary<Type, object> sections, IReadOnlyList<ConfigWarning> warnings)
    {
        _sections = sections;
        Warnings = warnings;
        VifPoolMapping = Options.VifPoolMapping.Resolve(Kubernetes, VifPool);
    }

    public DefaultOptions Default => Get<DefaultOptions>();

    public KubernetesOptions Kubernetes => Get<KubernetesOptions>();

    public VifPoolOptions VifPool => Get<VifPoolOptions>();

    public NeutronOptions Neutron => Get<NeutronOptions>();

    public NeutronDefaultsOptions NeutronDefaults => Get<NeutronDefaultsOptions>();

    public PodVifNestedOptions PodVifNested => Get<PodVifNestedOptions>();

    public NamespaceSubnetOptions NamespaceSubnet => Get<NamespaceSubnetOptions>();

    public CniDaemonOptions CniDaemon => Get<CniDaemonOptions>();

    public BindingOptions Binding => Get<BindingOptions>();

    public PoolManagerOptions PoolManager => Get<PoolManagerOptions>();

    public HealthServerOptions HealthServer => Get<HealthServerOptions>();

    public CniHealthServerOptions CniHealthServer => Get<CniHealthServerOptions>();

    public PrometheusExporterOptions PrometheusExporter => Get<PrometheusExporterOptions>();

    public NodeDriverCachingOptions NodeDriverCaching => Get<NodeDriverCachingOptions>();

    public SubnetCachingOptions SubnetCaching => Get<SubnetCachingOptions>();

    public NodesCachingOptions NodesCaching => Get<NodesCachingOptions>();

    public RedisOptions Redis => Get<RedisOptions>();

    /// <summary>pod_vif_driver → pool driver, resolved as Kuryr's multi_pool does (see <see cref="Options.VifPoolMapping.Resolve"/>).</summary>
    public IReadOnlyDictionary<string, string> VifPoolMapping { get; }

    /// <summary>Warnings found while loading (already logged once each).</summary>
    public IReadOnlyList<ConfigWarning> Warnings { get; }

    /// <summary>The section bound to <typeparamref name="T"/>.</summary>
    public T Get<T>()
        where T : class => (T)Get(typeof(T));

    /// <summary>The section bound to <paramref name="optionsType"/>.</summary>
    public object Get(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        return _sections.TryGetValue(optionsType, out var o)
            ? o
            : throw new ArgumentException($"{optionsType} is not a Kuryr options section.", nameof(optionsType));
    }

    /// <summary>
    /// Reads <paramref name="path"/> (null: no file) and the <c>KURYR_&lt;SECTION&gt;__&lt;OPTION&gt;</c>
    /// variables of <paramref name="environment"/> (null: the process environment), which override the file.
    /// </summary>
    /// <exception cref="KuryrConfigException">Every problem found: syntax (<c>file:line</c>), bad values, missing required options.</exception>
    public static KuryrConfig Load(string? path, IReadOnlyDictionary<string, string>? environment = null, ILogger? logger = null, KuryrComponent component = KuryrComponent.None) =>
        Load(path is null ? [] : [path], environment, logger, component);

    /// <summary>Like <see cref="Load(string?, IReadOnlyDictionary{string, string}?, ILogger?, KuryrComponent)"/> with several files
    /// (oslo <c>--config-file</c> repeated): later files override earlier ones.</summary>
    public static KuryrConfig Load(IEnumerable<string> paths, IReadOnlyDictionary<string, string>? environment = null, ILogger? logger = null, KuryrComponent component = KuryrComponent.None) =>
        FromConfiguration(BuildConfiguration(paths, environment), logger, component);

    /// <summary>The <see cref="IConfigurationRoot"/> of the files plus the environment overrides
    /// (what <c>AddKuryrConfig(path)</c> binds).</summary>
    /// <exception cref="KuryrConfigException">A file is missing, unreadable or malformed.</exception>
    public static IConfigurationRoot BuildConfiguration(IEnumerable<string> paths, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var builder = new ConfigurationBuilder();
        foreach (var path in paths)
        {
            builder.AddKuryrIniFile(path);
        }

        return builder.AddKuryrEnvironmentVariables(environment).Build();
    }

    /// <summary>
    /// Binds and validates a configuration that holds only Kuryr's sections (build it with
    /// <c>AddKuryrIniFile</c> + <c>AddKuryrEnvironmentVariables</c>; any other top-level key is
    /// reported as an unknown section).
    /// </summary>
    /// <exception cref="KuryrConfigException">Every bad value and missing required option.</exception>
    public static KuryrConfig FromConfiguration(IConfiguration configuration, ILogger? logger = null, KuryrComponent component = KuryrComponent.None)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new KuryrConfigLoader(logger ?? NullLogger.Instance).Load(configuration, component);
    }

    /// <summary>All sections Kuryr.Node reads.</summary>
    public static IReadOnlyList<KuryrSectionDescriptor> Sections => KuryrOptionsCatalog.Sections;
}
