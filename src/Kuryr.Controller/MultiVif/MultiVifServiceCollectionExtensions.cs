using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.MultiVif;

/// <summary>Composition of the multi-VIF drivers.</summary>
public static class MultiVifServiceCollectionExtensions
{
    /// <summary>Adds every multi-VIF driver; the KuryrPort handler uses those named in <c>[kubernetes] multi_vif_drivers</c>.</summary>
    public static IServiceCollection AddKuryrMultiVifDrivers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IMultiVifDriver, NoopMultiVifDriver>();
        return services;
    }
}
