using Kuryr.Ovs.Ovsdb;
using Kuryr.Ovs.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuryr.Ovs;

public static class OvsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IOvsdbClient"/> (one shared connection) and <see cref="IOvsClient"/>.</summary>
    public static IServiceCollection AddOvsClient(this IServiceCollection services, Action<OvsdbOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OvsdbOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o =>
        {
            o.Validate();
            return true;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OvsdbClient>();
        services.TryAddSingleton<IOvsdbClient>(sp => sp.GetRequiredService<OvsdbClient>());
        services.TryAddSingleton<IOvsClient, OvsClient>();
        return services;
    }
}
