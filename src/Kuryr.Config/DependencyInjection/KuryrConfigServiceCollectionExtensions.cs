using Kuryr.Config;
using Kuryr.Config.Binding;
using Kuryr.Config.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <c>kuryr.conf</c>: the <see cref="KuryrConfig"/> singleton and <c>IOptions&lt;T&gt;</c> for every section.</summary>
public static class KuryrConfigServiceCollectionExtensions
{
    /// <summary>Logger category of configuration warnings and errors.</summary>
    public const string LoggerCategory = "Kuryr.Config";

    /// <summary>
    /// Reads <paramref name="path"/> (e.g. <see cref="KuryrConfig.DefaultPath"/>) and the process's
    /// <c>KURYR_&lt;SECTION&gt;__&lt;OPTION&gt;</c> variables. A missing or malformed file fails here;
    /// bad values fail when the host starts.
    /// </summary>
    public static IServiceCollection AddKuryrConfig(this IServiceCollection services, string path, KuryrComponent component = KuryrComponent.None)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return services.AddKuryrConfig(KuryrConfig.BuildConfiguration([path]), component);
    }

    /// <summary>
    /// Binds <paramref name="configuration"/> (only Kuryr's sections: build it with
    /// <c>AddKuryrIniFile</c> + <c>AddKuryrEnvironmentVariables</c>) once, validates it, and registers
    /// <see cref="KuryrConfig"/> plus <c>IOptions&lt;T&gt;</c> for each section. Validation runs at host
    /// start (<c>ValidateOnStart</c>): a bad value stops the start with one
    /// <see cref="KuryrConfigException"/> listing every problem; unknown options are warned about once.
    /// </summary>
    public static IServiceCollection AddKuryrConfig(this IServiceCollection services, IConfiguration configuration, KuryrComponent component = KuryrComponent.None)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions();
        services.TryAddSingleton(sp => KuryrConfig.FromConfiguration(
            configuration, sp.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory), component));

        AddSection<DefaultOptions>(services, configuration);
        AddSection<KubernetesOptions>(services, configuration);
        AddSection<VifPoolOptions>(services, configuration);
        AddSection<NeutronOptions>(services, configuration);
        AddSection<NeutronDefaultsOptions>(services, configuration);
        AddSection<PodVifNestedOptions>(services, configuration);
        AddSection<NamespaceSubnetOptions>(services, configuration);
        AddSection<CniDaemonOptions>(services, configuration);
        AddSection<BindingOptions>(services, configuration);
        AddSection<PoolManagerOptions>(services, configuration);
        AddSection<HealthServerOptions>(services, configuration);
        AddSection<CniHealthServerOptions>(services, configuration);
        AddSection<PrometheusExporterOptions>(services, configuration);
        AddSection<NodeDriverCachingOptions>(services, configuration);
        AddSection<SubnetCachingOptions>(services, configuration);
        AddSection<NodesCachingOptions>(services, configuration);
        AddSection<RedisOptions>(services, configuration);
        return services;
    }

    private static void AddSection<T>(IServiceCollection services, IConfiguration configuration)
        where T : class
    {
        var section = KuryrOptionsCatalog.ForType(typeof(T));
        services.AddOptions<T>()
            // Depending on KuryrConfig makes the whole file bind and validate (once) first; the
            // section is then bound again into the instance the options factory created, so every
            // IOptions/IOptionsMonitor/IOptionsSnapshot gets its own copy of the lists.
            .Configure<KuryrConfig>((options, _) =>
                KuryrOptionsBinder.BindInto(section, options, new ConfigLookup(configuration), new ConfigDiagnostics()))
            .ValidateOnStart();
    }
}
