using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.Handlers;

/// <summary>
/// A handler the controller can run: its Kuryr name (as in <c>enabled_handlers</c>), the resource it
/// watches and how to resolve it. Registered with <see cref="HandlerServiceCollectionExtensions.AddResourceHandler{T, THandler}"/>;
/// the host runs only the registrations whose <see cref="Name"/> is enabled.
/// </summary>
public abstract class HandlerRegistration
{
    private protected HandlerRegistration(string name) => Name = name;

    /// <summary>Kuryr's handler name (<c>vif</c>, <c>kuryrport</c>, <c>namespace</c>, ...).</summary>
    public string Name { get; }

    /// <summary>The watched resource's type (for logs).</summary>
    public abstract string ResourceName { get; }

    /// <summary>Calls the visitor with the typed registration (the pipeline builds its typed runners this way).</summary>
    internal abstract TResult Accept<TResult>(Pipeline.IHandlerRegistrationVisitor<TResult> visitor);
}

/// <summary>A handler of <typeparamref name="T"/> objects.</summary>
public sealed class HandlerRegistration<T> : HandlerRegistration
    where T : KubernetesObject
{
    internal HandlerRegistration(string name, ResourceType<T> resource, Func<IServiceProvider, IResourceHandler<T>> factory)
        : base(name)
    {
        Resource = resource;
        Factory = factory;
    }

    public ResourceType<T> Resource { get; }

    public Func<IServiceProvider, IResourceHandler<T>> Factory { get; }

    public override string ResourceName => Resource.Plural;

    internal override TResult Accept<TResult>(Pipeline.IHandlerRegistrationVisitor<TResult> visitor) => visitor.Visit(this);
}

/// <summary>Registers handlers.</summary>
public static class HandlerServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="THandler"/> (a singleton) as the handler called <paramref name="name"/> of <paramref name="resource"/>.</summary>
    public static IServiceCollection AddResourceHandler<T, THandler>(this IServiceCollection services, string name, ResourceType<T> resource)
        where T : KubernetesObject
        where THandler : class, IResourceHandler<T>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(resource);
        services.AddSingleton<THandler>();
        services.AddSingleton<HandlerRegistration>(new HandlerRegistration<T>(name, resource, sp => sp.GetRequiredService<THandler>()));
        return services;
    }
}
