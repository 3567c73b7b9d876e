using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Informers;

/// <summary>
/// The informer's local, indexed copy of the objects it watches (client-go's Indexer). Keys are
/// <c>namespace/name</c> for namespaced objects and <c>name</c> otherwise (<see cref="ObjectKeys"/>).
/// Objects handed out are the cached instances: treat them as read-only.
/// </summary>
public interface IInformerCache<T>
    where T : KubernetesObject
{
    /// <summary>Number of cached objects.</summary>
    int Count { get; }

    /// <summary>The object with this key, or null.</summary>
    T? GetByKey(string key);

    /// <summary>The object with this namespace (null for cluster-scoped) and name, or null.</summary>
    T? GetByName(string? objectNamespace, string name);

    /// <summary>A snapshot of every cached object.</summary>
    IReadOnlyList<T> List();

    /// <summary>A snapshot of every key.</summary>
    IReadOnlyList<string> ListKeys();

    /// <summary>Objects whose index <paramref name="indexName"/> yields <paramref name="value"/> (e.g. <c>("namespace", "default")</c>).</summary>
    IReadOnlyList<T> ByIndex(string indexName, string value);

    /// <summary>The values present in an index.</summary>
    IReadOnlyList<string> IndexValues(string indexName);
}
