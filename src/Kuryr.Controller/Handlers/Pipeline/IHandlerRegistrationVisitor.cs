using Kuryr.Kubernetes.Models;

namespace Kuryr.Controller.Handlers.Pipeline;

/// <summary>Gets the typed <see cref="HandlerRegistration{T}"/> behind a <see cref="HandlerRegistration"/>.</summary>
internal interface IHandlerRegistrationVisitor<out TResult>
{
    TResult Visit<T>(HandlerRegistration<T> registration)
        where T : KubernetesObject;
}
