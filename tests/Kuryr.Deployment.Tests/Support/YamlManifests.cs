using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kuryr.Deployment.Tests.Support;

/// <summary>One Kubernetes object of a manifest file.</summary>
public sealed record ManifestObject(string File, int Index, JsonObject Json)
{
    public string Kind => Json["kind"]?.GetValue<string>() ?? "";

    public string ApiVersion => Json["apiVersion"]?.GetValue<string>() ?? "";

    public string Name => Json["metadata"]?["name"]?.GetValue<string>() ?? "";

    public string? Namespace => Json["metadata"]?["namespace"]?.GetValue<string>();

    public override string ToString() => $"{File} document {Index} ({Kind}/{Name})";
}

/// <summary>
/// YAML (multi-document) → JSON as the API server reads it: plain scalars resolved with the YAML 1.2
/// core schema (int, float, bool, null), quoted and block scalars stay strings.
/// </summary>
public static partial class YamlManifests
{
    /// <summary>Every object of a file (path relative to the repository root); empty documents skipped.</summary>
    public static IReadOnlyList<ManifestObject> Load(string relativePath)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Repo.PathOf(relativePath)))
        {
            try
            {
                stream.Load(reader);
            }
            catch (YamlException e)
            {
                throw new FormatException($"{relativePath}: not valid YAML: {e.Message}", e);
            }
        }

        var result = new List<ManifestObject>();
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            if (ToJson(stream.Documents[i].RootNode) is JsonObject o)
            {
                result.Add(new ManifestObject(relativePath, i, o));
            }
        }

        return result;
    }

    /// <summary>Every object of every manifest file.</summary>
    public static IReadOnlyList<ManifestObject> All() => Repo.ManifestFiles().SelectMany(Load).ToArray();

    /// <summary>The single object of <paramref name="kind"/> named <paramref name="name"/> across all files.</summary>
    public static ManifestObject Find(string kind, string name) =>
        All().Single(o => o.Kind == kind && o.Name == name);

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } p => Plain(p.Value ?? ""),
        YamlScalarNode q => JsonValue.Create(q.Value ?? ""),
        _ => throw new FormatException($"unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonValue? Plain(string v)
    {
        if (v is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (v is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (v is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntPattern().IsMatch(v) && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (FloatPattern().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(v);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
