using Kuryr.Agent.Binding.Drivers;
using Kuryr.Netlink;
using Kuryr.Ovs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kuryr.Agent.Binding;

/// <summary>DI registration of the binding drivers.</summary>
public static class BindingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IVifPlugger"/> with one driver per VIF class (OVS, OVS hybrid, nested VLAN,
    /// nested macvlan), the netlink library, the OVSDB client (configure its socket with <c>Configure&lt;OvsdbOptions&gt;</c>), and <see cref="VifPluggerOptions"/> (configure the node address with
    /// <paramref name="configure"/>). Needs <c>IOptions&lt;BindingOptions&gt;</c> and <c>IOptions&lt;NeutronDefaultsOptions&gt;</c> (AddKuryrConfig).
    /// </summary>
    public static IServiceCollection AddKuryrBinding(this IServiceCollection services, Action<VifPluggerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddKuryrNetlink();
        services.AddOvsClient();
        var options = services.AddOptions<VifPluggerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddLogging();
        services.TryAddSingleton<NestedParentResolver>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBindingDriver, OvsBindingDriver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBindingDriver, HybridBindingDriver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBindingDriver, VlanNestedBindingDriver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBindingDriver, MacvlanNestedBindingDriver>());
        services.TryAddSingleton<IVifPlugger, VifPlugger>();
        return services;
    }
}
