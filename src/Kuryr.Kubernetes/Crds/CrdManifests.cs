using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Models;
using Kuryr.Kubernetes.Serialization;

namespace Kuryr.Kubernetes.Crds;

/// <summary>
/// The CRDs Kuryr.Node needs, read from the YAML manifests under <c>controller/crds/</c> that are
/// embedded in this assembly (one copy: the same files are applied by hand or by the installer).
/// </summary>
public static class CrdManifests
{
    /// <summary>Prefix of the embedded resources' logical names.</summary>
    internal const string ResourcePrefix = "Kuryr.Kubernetes.Crds.";

    /// <summary><c>kuryrports.openstack.org</c>.</summary>
    public const string KuryrPorts = "kuryrports.openstack.org";

    /// <summary><c>kuryrnetworks.openstack.org</c>.</summary>
    public const string KuryrNetworks = "kuryrnetworks.openstack.org";

    /// <summary><c>network-attachment-definitions.k8s.cni.cncf.io</c>.</summary>
    public const string NetworkAttachmentDefinitions = "network-attachment-definitions.k8s.cni.cncf.io";

    private static readonly Lazy<IReadOnlyList<(string Resource, JsonObject Json)>> Loaded = new(Load);

    /// <summary>The embedded manifest file names (e.g. <c>kuryrport.yaml</c>).</summary>
    public static IReadOnlyList<string> FileNames => Loaded.Value.Select(m => m.Resource[ResourcePrefix.Length..]).ToArray();

    /// <summary>Fresh copies of every embedded CRD, in file-name order.</summary>
    public static IReadOnlyList<CustomResourceDefinition> All() => Loaded.Value.Select(m => ToCrd(m.Json, m.Resource)).ToArray();

    /// <summary>A fresh copy of one CRD by its name (e.g. <see cref="KuryrPorts"/>).</summary>
    public static CustomResourceDefinition Get(string name) =>
        All().FirstOrDefault(c => c.Metadata.Name == name)
        ?? throw new ArgumentException($"No embedded CRD named '{name}' (have: {string.Join(", ", All().Select(c => c.Metadata.Name))}).", nameof(name));

    /// <summary>The manifest as JSON (for comparisons with what the server holds).</summary>
    internal static JsonObject GetJson(string name) =>
        (JsonObject)Loaded.Value.First(m => m.Json["metadata"]?["name"]?.GetValue<string>() == name).Json.DeepClone();

    /// <summary>Parses one CRD manifest (YAML) and checks the fields the installer relies on.</summary>
    internal static CustomResourceDefinition Parse(string yaml, string source) => ToCrd(ParseJson(yaml, source), source);

    private static JsonObject ParseJson(string yaml, string source)
    {
        var docs = YamlJson.ParseDocuments(yaml, source);
        if (docs.Count != 1)
        {
            throw new FormatException($"{source}: expected exactly one CustomResourceDefinition document, found {docs.Count}.");
        }

        var doc = docs[0];
        if (doc["kind"]?.GetValue<string>() != "CustomResourceDefinition" || doc["apiVersion"]?.GetValue<string>() != "apiextensions.k8s.io/v1")
        {
            throw new FormatException($"{source}: kind must be CustomResourceDefinition and apiVersion apiextensions.k8s.io/v1.");
        }

        return doc;
    }

    private static CustomResourceDefinition ToCrd(JsonObject json, string source)
    {
        var crd = json.Deserialize(KubernetesJsonContext.Default.CustomResourceDefinition)
            ?? throw new FormatException($"{source}: empty CustomResourceDefinition.");
        var spec = crd.Spec ?? throw new FormatException($"{source}: spec is required.");
        if (string.IsNullOrEmpty(spec.Group))
        {
            throw new FormatException($"{source}: spec.group is required.");
        }

        if (string.IsNullOrEmpty(spec.Names?.Plural))
        {
            throw new FormatException($"{source}: spec.names.plural is required.");
        }

        if (crd.Metadata.Name != spec.Names.Plural + "." + spec.Group)
        {
            throw new FormatException($"{source}: metadata.name must be '{spec.Names.Plural}.{spec.Group}', not '{crd.Metadata.Name}'.");
        }

        if (spec.Versions.Count == 0)
        {
            throw new FormatException($"{source}: spec.versions must list at least one version.");
        }

        return crd;
    }

    private static List<(string, JsonObject)> Load()
    {
        var asm = typeof(CrdManifests).Assembly;
        var result = new List<(string, JsonObject)>();
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = asm.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var json = ParseJson(reader.ReadToEnd(), name);
            ToCrd(json, name);
            result.Add((name, json));
        }

        if (result.Count == 0)
        {
            throw new InvalidOperationException($"No CRD manifests are embedded in {asm.GetName().Name} (resources named {ResourcePrefix}*.yaml).");
        }

        return result;
    }
}
