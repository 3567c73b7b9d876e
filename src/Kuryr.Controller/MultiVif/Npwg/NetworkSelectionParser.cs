using System.Text.Json;
using Kuryr.Controller.MultiVif.Common;

namespace Kuryr.Controller.MultiVif.Npwg;

/// <summary>One network a pod asks for in <c>k8s.v1.cni.cncf.io/networks</c>.</summary>
/// <param name="Namespace">The NetworkAttachmentDefinition's namespace (defaults to the pod's).</param>
/// <param name="Name">The NetworkAttachmentDefinition's name.</param>
/// <param name="InterfaceName">The requested interface name (<c>name@ifname</c> or JSON <c>interface</c>), or null.</param>
public sealed record NetworkSelection(string Namespace, string Name, string? InterfaceName)
{
    /// <summary><c>namespace/name</c>, as the network-status annotation names a network.</summary>
    public string QualifiedName => Namespace + "/" + Name;
}

/// <summary>
/// Parses the NPWG <c>k8s.v1.cni.cncf.io/networks</c> annotation in both of its forms:
/// a JSON list of objects (<c>{"name", "namespace"?, "interface"?}</c>; other NPWG keys such as
/// <c>ips</c> or <c>mac</c> are ignored, as Kuryr does) or comma-separated text entries
/// <c>[namespace/]name[@interface]</c>. A value that is not JSON where JSON is needed throws
/// <see cref="MultiVifAnnotationException"/>; a bad entry is returned as a refused entry so the
/// others still work. Never throws anything else.
/// </summary>
public static class NetworkSelectionParser
{
    public const string Annotation = KuryrConstants.NetworksAnnotation;

    public static IReadOnlyList<AnnotationEntry<NetworkSelection>> Parse(string? value, string podNamespace)
    {
        ArgumentNullException.ThrowIfNull(podNamespace);
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            return [];
        }

        return text[0] is '[' or '{' ? ParseJson(text, podNamespace) : ParseText(text, podNamespace);
    }

    private static List<AnnotationEntry<NetworkSelection>> ParseText(string text, string podNamespace)
    {
        var result = new List<AnnotationEntry<NetworkSelection>>();
        var parts = text.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            var entry = parts[i].Trim();
            if (entry.Length == 0)
            {
                result.Add(AnnotationEntry.Bad<NetworkSelection>(i, parts[i], $"entry {i + 1} is empty"));
                continue;
            }

            string? ifname = null;
            var at = entry.IndexOf('@', StringComparison.Ordinal);
            var reference = entry;
            if (at >= 0)
            {
                ifname = entry[(at + 1)..];
                reference = entry[..at];
            }

            var slashes = reference.Count(c => c == '/');
            if (slashes > 1)
            {
                result.Add(AnnotationEntry.Bad<NetworkSelection>(i, entry, $"\"{AnnotationText.Shorten(entry)}\" has more than one '/' (expected [namespace/]name[@interface])"));
                continue;
            }

            string? ns = null;
            var name = reference;
            if (slashes == 1)
            {
                var slash = reference.IndexOf('/', StringComparison.Ordinal);
                ns = reference[..slash];
                name = reference[(slash + 1)..];
                if (ns.Length == 0)
                {
                    result.Add(AnnotationEntry.Bad<NetworkSelection>(i, entry, $"\"{AnnotationText.Shorten(entry)}\" has an empty namespace before '/'"));
                    continue;
                }
            }

            result.Add(Build(i, entry, name, ns, ifname, podNamespace));
        }

        return result;
    }

    private static List<AnnotationEntry<NetworkSelection>> ParseJson(string text, string podNamespace)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new MultiVifAnnotationException(Annotation, $"is not valid JSON ({e.Message}); expected a JSON list of {{\"name\", \"namespace\", \"interface\"}} objects or comma-separated [namespace/]name[@interface]", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new MultiVifAnnotationException(Annotation, $"is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, expected a JSON list of network selection objects");
            }

            var result = new List<AnnotationEntry<NetworkSelection>>();
            var i = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                var raw = element.GetRawText();
                if (element.ValueKind != JsonValueKind.Object)
                {
                    result.Add(AnnotationEntry.Bad<NetworkSelection>(i, raw, $"entry {i + 1} is a JSON {element.ValueKind.ToString().ToLowerInvariant()}, expected an object with \"name\""));
                    i++;
                    continue;
                }

                if (!TryString(element, "name", out var name, out var problem)
                    || !TryString(element, "namespace", out var ns, out problem)
                    || !TryString(element, "interface", out var ifname, out problem))
                {
                    result.Add(AnnotationEntry.Bad<NetworkSelection>(i, raw, $"entry {i + 1}: {problem}"));
                    i++;
                    continue;
                }

                if (name is null)
                {
                    result.Add(AnnotationEntry.Bad<NetworkSelection>(i, raw, $"entry {i + 1} has no \"name\""));
                    i++;
                    continue;
                }

                result.Add(Build(i, raw, name, ns, ifname, podNamespace));
                i++;
            }

            return result;
        }
    }

    private static bool TryString(JsonElement obj, string key, out string? value, out string? problem)
    {
        value = null;
        problem = null;
        if (!obj.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            problem = $"\"{key}\" is a JSON {v.ValueKind.ToString().ToLowerInvariant()}, expected a string";
            return false;
        }

        value = v.GetString();
        return true;
    }

    private static AnnotationEntry<NetworkSelection> Build(int index, string entry, string name, string? ns, string? ifname, string podNamespace)
    {
        var quoted = AnnotationText.Shorten(entry);
        if (name.Length == 0)
        {
            return AnnotationEntry.Bad<NetworkSelection>(index, entry, $"\"{quoted}\" has an empty network name");
        }

        if (!AnnotationText.IsObjectName(name))
        {
            return AnnotationEntry.Bad<NetworkSelection>(index, entry, $"network name \"{AnnotationText.Shorten(name)}\" is not a valid object name (lower-case DNS-1123 subdomain)");
        }

        if (ns is not null && !AnnotationText.IsNamespaceName(ns))
        {
            return AnnotationEntry.Bad<NetworkSelection>(index, entry, $"namespace \"{AnnotationText.Shorten(ns)}\" is not a valid namespace name (lower-case DNS-1123 label)");
        }

        if (ifname is not null && AnnotationText.InterfaceNameProblem(ifname) is { } bad)
        {
            return AnnotationEntry.Bad<NetworkSelection>(index, entry, $"\"{quoted}\": {bad}");
        }

        return AnnotationEntry.Ok<NetworkSelection>(index, entry, new NetworkSelection(ns ?? podNamespace, name, ifname));
    }
}
