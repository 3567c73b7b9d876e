using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Vifs.Model;

namespace Kuryr.Vifs;

/// <summary>
/// Kuryr's VIF JSON (the <c>vif</c> of a KuryrPort's <c>status.vifs</c> entry, and the old
/// <c>openstack.org/kuryr-vif</c> annotation): os-vif's versioned-object envelope, nested objects
/// enveloped, list types with <c>data.objects</c>.
/// </summary>
public static class VifJson
{
    /// <summary>Writes a VIF (or any o.vo object of this model).</summary>
    public static string Serialize(OvoObject vif, VifJsonStyle style = VifJsonStyle.Compact)
    {
        ArgumentNullException.ThrowIfNull(vif);
        return new OvoWriter(style).Write(vif);
    }

    /// <summary>Reads a VIF; throws <see cref="VifFormatException"/> naming the bad field.</summary>
    public static VifBase Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new VifFormatException($"VIF JSON is not valid JSON: {e.Message}", e);
        }

        return FromNode(node ?? throw new VifFormatException("$", "expected a versioned object, got null"));
    }

    /// <summary>Reads a VIF from a parsed node (e.g. a KuryrPort's <c>status.vifs.eth0.vif</c>).</summary>
    public static VifBase FromNode(JsonNode node, string path = "$")
    {
        ArgumentNullException.ThrowIfNull(node);
        return OvoReader.Instance.ReadObject<VifBase>(node, path);
    }

    /// <summary>The VIF as a JSON node, for embedding in a larger document.</summary>
    public static JsonNode ToNode(OvoObject vif) => JsonNode.Parse(Serialize(vif))!;
}
