using Kuryr.Config.Options;
using Kuryr.Neutron;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="INeutronClient"/> and the transport under it.</summary>
public static class NeutronServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="INeutronClient"/> (a singleton; it caches Neutron's extension list) and the
    /// transport. The caller registers <c>IOptions&lt;NeutronOptions&gt;</c>, e.g. by binding
    /// <c>[neutron]</c>.
    /// </summary>
    public static IServiceCollection AddNeutronClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddNeutronTransport();
        services.TryAddSingleton<INeutronClient, NeutronClient>();
        return services;
    }

    /// <summary>As <see cref="AddNeutronClient(IServiceCollection)"/>, configuring the options in code.</summary>
    public static IServiceCollection AddNeutronClient(this IServiceCollection services, Action<NeutronOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return services.AddNeutronClient();
    }
}
