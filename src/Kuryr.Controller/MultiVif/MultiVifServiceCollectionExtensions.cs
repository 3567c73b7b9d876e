using Kuryr.Controller.MultiVif.AdditionalSubnets;
using Kuryr.Controller.MultiVif.Common;
using Kuryr.Controller.MultiVif.Npwg;
using Kuryr.Controller.MultiVif.SpecPorts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuryr.Controller.MultiVif;

/// <summary>Composition of the multi-VIF drivers.</summary>
public static class MultiVifServiceCollectionExtensions
{
    /// <summary>Adds every multi-VIF driver; the KuryrPort handler uses those named in <c>[kubernetes] multi_vif_drivers</c>.
    /// The drivers other than <c>noop</c> need the pools (<c>AddKuryrPools</c>), the Neutron and Kubernetes clients and an <c>IEventRecorder</c>.</summary>
    public static IServiceCollection AddKuryrMultiVifDrivers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.TryAddSingleton<MultiVifSupport>();
        services.TryAddSingleton<PodPorts>();
        services.AddSingleton<IMultiVifDriver, NoopMultiVifDriver>();
        services.AddSingleton<IMultiVifDriver, NpwgMultiVifDriver>();
        services.AddSingleton<IMultiVifDriver, AdditionalSubnetsMultiVifDriver>();
        services.AddSingleton<IMultiVifDriver, SpecPortsMultiVifDriver>();
        return services;
    }
}
