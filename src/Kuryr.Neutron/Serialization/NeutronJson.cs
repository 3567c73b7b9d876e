using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Transport;

namespace Kuryr.Neutron.Serialization;

/// <summary>Neutron's envelopes: <c>{"port": {...}}</c>, <c>{"ports": [...], "ports_links": [...]}</c>.</summary>
internal static class NeutronJson
{
    /// <summary>Error type of the <see cref="NeutronException"/> thrown for an answer this client cannot read.</summary>
    public const string MalformedResponse = "MalformedResponse";

    /// <summary><c>{"key": value}</c> as UTF-8 bytes.</summary>
    public static byte[] Wrap<T>(string key, T value, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, value, typeInfo);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The whole body as one <typeparamref name="T"/>.</summary>
    public static T Read<T>(NeutronResponse response, JsonTypeInfo<T> typeInfo, string operation)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, typeInfo)
                ?? throw Malformed(response, operation, "the answer is null", null);
        }
        catch (JsonException e)
        {
            throw Malformed(response, operation, e.Message, e);
        }
    }

    /// <summary>The member <paramref name="key"/> of the body's top-level object.</summary>
    public static T Unwrap<T>(NeutronResponse response, string key, JsonTypeInfo<T> typeInfo, string operation)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(key, out var element)
                || element.ValueKind == JsonValueKind.Null)
            {
                throw Malformed(response, operation, $"the answer has no '{key}' member", null);
            }

            return element.Deserialize(typeInfo) ?? throw Malformed(response, operation, $"'{key}' is null", null);
        }
        catch (JsonException e)
        {
            throw Malformed(response, operation, e.Message, e);
        }
    }

    /// <summary>One page of a listing: the items of <paramref name="collection"/> and the
    /// <c>href</c> of the <c>{collection}_links</c> entry with <c>rel=next</c>, if any.</summary>
    public static (List<T> Items, string? NextHref) ReadPage<T>(
        NeutronResponse response, string collection, JsonTypeInfo<T> typeInfo, string operation)
    {
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(collection, out var array)
                || array.ValueKind != JsonValueKind.Array)
            {
                throw Malformed(response, operation, $"the answer has no '{collection}' array", null);
            }

            var items = new List<T>(array.GetArrayLength());
            foreach (var element in array.EnumerateArray())
            {
                items.Add(element.Deserialize(typeInfo) ?? throw Malformed(response, operation, $"'{collection}' holds a null", null));
            }

            string? next = null;
            if (root.TryGetProperty(collection + "_links", out var links) && links.ValueKind == JsonValueKind.Array)
            {
                foreach (var link in links.EnumerateArray())
                {
                    if (link.ValueKind == JsonValueKind.Object
                        && link.TryGetProperty("rel", out var rel) && rel.ValueEquals("next")
                        && link.TryGetProperty("href", out var href) && href.ValueKind == JsonValueKind.String)
                    {
                        next = href.GetString();
                    }
                }
            }

            return (items, next);
        }
        catch (JsonException e)
        {
            throw Malformed(response, operation, e.Message, e);
        }
    }

    /// <summary>The query of a <c>links</c> href as ordered key/value pairs (keys may repeat).</summary>
    public static List<KeyValuePair<string, string>> ParseQuery(string href)
    {
        var result = new List<KeyValuePair<string, string>>();
        var q = href.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return result;
        }

        var query = href[(q + 1)..];
        var hash = query.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            query = query[..hash];
        }

        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            result.Add(new(Decode(key), Decode(value)));
        }

        return result;
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static NeutronException Malformed(NeutronResponse response, string operation, string detail, Exception? inner) =>
        new(operation, response.StatusCode, MalformedResponse, "unreadable answer: " + detail, response.RequestId, inner);
}
