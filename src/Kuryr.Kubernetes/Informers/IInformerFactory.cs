using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Informers;

/// <summary>Creates informers over the registered <see cref="Client.IKubernetesClient"/>.</summary>
public interface IInformerFactory
{
    /// <summary>A new informer (not running: call <see cref="IInformer{T}.RunAsync"/>).</summary>
    IInformer<T> Create<T>(ResourceType<T> resource, InformerOptions<T>? options = null)
        where T : KubernetesObject;
}
