using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kuryr.Kubernetes.Crds;

/// <summary>
/// Converts YAML documents to JSON nodes without reflection (YAML 1.2 core schema for plain
/// scalars: <c>true/false</c>, <c>null/~</c>, integers and floats; quoted scalars stay strings).
/// </summary>
internal static class YamlJson
{
    /// <summary>Every non-empty document of <paramref name="yaml"/>, as JSON objects.</summary>
    public static IReadOnlyList<JsonObject> ParseDocuments(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source}: invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", ex);
        }

        var result = new List<JsonObject>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            if (ToJson(doc.RootNode, source) is not JsonObject obj)
            {
                throw new FormatException($"{source}: a document's root must be a mapping (line {doc.RootNode.Start.Line}).");
            }

            result.Add(obj);
        }

        return result;
    }

    private static JsonNode? ToJson(YamlNode node, string source) => node switch
    {
        YamlMappingNode map => ToObject(map, source),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(c => ToJson(c, source)).ToArray()),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new FormatException($"{source}: unsupported YAML node at line {node.Start.Line} (anchors/aliases are not supported)."),
    };

    private static JsonObject ToObject(YamlMappingNode map, string source)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode { Value: { } key })
            {
                throw new FormatException($"{source}: mapping keys must be scalars (line {k.Start.Line}).");
            }

            if (obj.ContainsKey(key))
            {
                throw new FormatException($"{source}: duplicate key '{key}' at line {k.Start.Line}.");
            }

            obj[key] = ToJson(v, source);
        }

        return obj;
    }

    private static JsonValue? ToScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (value.Length > 0 && (char.IsDigit(value[0]) || value[0] is '-' or '+' or '.')
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(value);
    }
}
