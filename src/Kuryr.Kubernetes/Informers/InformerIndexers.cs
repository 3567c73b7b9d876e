using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Informers;

/// <summary>Ready-made index functions for <see cref="InformerOptions{T}.Indexers"/>.</summary>
public static class InformerIndexers
{
    /// <summary>The built-in index every informer cache has: by <c>metadata.namespace</c>.</summary>
    public const string Namespace = "namespace";

    /// <summary>Index name of <see cref="ByKuryrNodeName{T}"/>.</summary>
    public const string KuryrNodeName = "kuryr.openstack.org/nodeName";

    /// <summary>Index objects by the value of one label (objects without it are not indexed).</summary>
    public static Func<T, IEnumerable<string>> ByLabel<T>(string label)
        where T : KubernetesObject
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        return obj => obj.Metadata.Labels is { } labels && labels.TryGetValue(label, out var v) ? [v] : [];
    }

    /// <summary>KuryrPorts (or anything) by Kuryr's node label <c>kuryr.openstack.org/nodeName</c>.</summary>
    public static Func<T, IEnumerable<string>> ByKuryrNodeName<T>()
        where T : KubernetesObject => ByLabel<T>(KuryrNodeName);
}
