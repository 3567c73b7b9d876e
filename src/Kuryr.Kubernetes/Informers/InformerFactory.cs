using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.Informers;

internal sealed class InformerFactory(IKubernetesClient client, TimeProvider time, ILoggerFactory loggerFactory) : IInformerFactory
{
    public IInformer<T> Create<T>(ResourceType<T> resource, InformerOptions<T>? options = null)
        where T : KubernetesObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new Informer<T>(client, resource, options, time, loggerFactory.CreateLogger("Kuryr.Kubernetes.Informers.Informer"));
    }
}
