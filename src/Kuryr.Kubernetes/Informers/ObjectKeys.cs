using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Informers;

/// <summary>Cache and work-queue keys (client-go MetaNamespaceKeyFunc / SplitMetaNamespaceKey).</summary>
public static class ObjectKeys
{
    /// <summary><c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</summary>
    public static string For(KubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var name = obj.Metadata.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"{obj.Kind ?? obj.GetType().Name}: metadata.name is missing, so the object has no cache key.", nameof(obj));
        }

        return For(obj.Metadata.Namespace, name);
    }

    /// <summary><c>namespace/name</c>, or <c>name</c> when <paramref name="namespace"/> is empty.</summary>
    public static string For(string? @namespace, string name) => string.IsNullOrEmpty(@namespace) ? name : @namespace + "/" + name;

    /// <summary>Splits a key into namespace (null for cluster-scoped) and name.</summary>
    public static (string? Namespace, string Name) Split(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var parts = key.Split('/');
        return parts.Length switch
        {
            1 => (null, parts[0]),
            2 when parts[0].Length > 0 && parts[1].Length > 0 => (parts[0], parts[1]),
            _ => throw new FormatException($"Cache key '{key}' must be 'name' or 'namespace/name'."),
        };
    }
}
