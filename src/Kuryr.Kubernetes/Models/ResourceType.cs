using System.Text.Json.Serialization.Metadata;

namespace Kuryr.Kubernetes.Models;

/// <summary>
/// Describes one API resource (group, version, plural, scope, kind) and how to (de)serialize it:
/// every client operation takes one, so core types and custom resources share one path builder.
/// Ready-made ones are in <see cref="KubernetesResources"/>.
/// </summary>
public sealed class ResourceType<T>
    where T : KubernetesObject
{
    private static readonly HashSet<string> BuiltInGroups =
    [
        "", "apps", "batch", "coordination.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
        "discovery.k8s.io", "events.k8s.io", "storage.k8s.io", "autoscaling", "apiextensions.k8s.io",
    ];

    public ResourceType(string group, string version, string plural, string kind, bool namespaced,
        JsonTypeInfo<T> typeInfo, JsonTypeInfo<KubernetesList<T>> listTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(plural);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(listTypeInfo);
        Group = group;
        Version = version;
        Plural = plural;
        Kind = kind;
        Namespaced = namespaced;
        TypeInfo = typeInfo;
        ListTypeInfo = listTypeInfo;
        ApiVersion = group.Length == 0 ? version : group + "/" + version;
        ApiPrefix = group.Length == 0 ? "/api/" + version : "/apis/" + group + "/" + version;
        SupportsStrategicMergePatch = BuiltInGroups.Contains(group);
        Name = group.Length == 0 ? plural : plural + "." + group;
    }

    /// <summary>API group; empty for the core group (<c>/api/v1</c>).</summary>
    public string Group { get; }

    public string Version { get; }

    public string Plural { get; }

    public string Kind { get; }

    public bool Namespaced { get; }

    /// <summary><c>v1</c> or <c>group/version</c>.</summary>
    public string ApiVersion { get; }

    /// <summary>False for custom resources: the API server answers 415 to a strategic merge patch on them.</summary>
    public bool SupportsStrategicMergePatch { get; }

    public JsonTypeInfo<T> TypeInfo { get; }

    public JsonTypeInfo<KubernetesList<T>> ListTypeInfo { get; }

    /// <summary><c>/api/v1</c> or <c>/apis/group/version</c>.</summary>
    public string ApiPrefix { get; }

    /// <summary>
    /// <c>{prefix}[/namespaces/{ns}]/{plural}</c>. A null namespace for a namespaced resource means
    /// all namespaces (list and watch only).
    /// </summary>
    public string CollectionPath(string? ns)
    {
        if (Namespaced && !string.IsNullOrEmpty(ns))
        {
            return ApiPrefix + "/namespaces/" + Uri.EscapeDataString(ns) + "/" + Plural;
        }

        return ApiPrefix + "/" + Plural;
    }

    /// <summary>The path of one object; throws naming the missing argument.</summary>
    public string ObjectPath(string? ns, string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"{Kind}: metadata.name is required", nameof(name));
        }

        if (Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{Kind} {name}: metadata.namespace is required ({Plural} are namespaced)", nameof(ns));
        }

        return CollectionPath(Namespaced ? ns : null) + "/" + Uri.EscapeDataString(name);
    }

    /// <summary><c>plural.group</c> (just <c>plural</c> for the core group), as kubectl names it.</summary>
    public string Name { get; }

    public override string ToString() => Name;
}
