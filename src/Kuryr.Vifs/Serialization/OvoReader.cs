using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Vifs.Model;

namespace Kuryr.Vifs;

/// <summary>Reads o.vo envelopes into the model; every error names the JSON path.</summary>
internal sealed class OvoReader
{
    private const string NameKey = "versioned_object.name";
    private const string NamespaceKey = "versioned_object.namespace";
    private const string VersionKey = "versioned_object.version";
    private const string DataKey = "versioned_object.data";

    public static readonly OvoReader Instance = new();

    public T ReadObject<T>(JsonNode node, string path)
        where T : OvoObject
    {
        if (node is not JsonObject envelope)
        {
            throw Fail(path, "expected a versioned object (a JSON object with versioned_object.name/data)");
        }

        var name = RequiredEnvelopeString(envelope, NameKey, path);
        var obj = Create(name, RequiredEnvelopeString(envelope, VersionKey, path), path);
        if (obj is not T typed)
        {
            throw Fail($"{path}.{NameKey}", $"\"{name}\" is not a valid {Describe<T>()} here");
        }

        typed.Version = RequiredEnvelopeString(envelope, VersionKey, path);
        typed.Namespace = RequiredEnvelopeString(envelope, NamespaceKey, path);
        foreach (var (key, value) in envelope)
        {
            if (key is NameKey or NamespaceKey or VersionKey or DataKey)
            {
                continue;
            }

            typed.ExtraEnvelope[key] = value?.DeepClone();
        }

        if (envelope[DataKey] is not JsonObject data)
        {
            throw Fail($"{path}.{DataKey}", envelope.ContainsKey(DataKey) ? "expected a JSON object" : "is missing");
        }

        foreach (var (key, value) in data)
        {
            var fieldPath = $"{path}.{DataKey}.{key}";
            if (value is null || !typed.TryReadField(key, value, this, fieldPath))
            {
                typed.ExtraFields[key] = value?.DeepClone();
            }
        }

        return typed;
    }

    public OvoList<T> ReadList<T>(JsonNode node, string path, string listName)
        where T : OvoObject
    {
        if (node is not JsonObject envelope)
        {
            throw Fail(path, $"expected a versioned {listName}");
        }

        var name = RequiredEnvelopeString(envelope, NameKey, path);
        if (name != listName)
        {
            throw Fail($"{path}.{NameKey}", $"expected \"{listName}\", got \"{name}\"");
        }

        var list = new OvoList<T>(listName)
        {
            Version = RequiredEnvelopeString(envelope, VersionKey, path),
            Namespace = RequiredEnvelopeString(envelope, NamespaceKey, path),
        };
        foreach (var (key, value) in envelope)
        {
            if (key is not (NameKey or NamespaceKey or VersionKey or DataKey))
            {
                list.ExtraEnvelope[key] = value?.DeepClone();
            }
        }

        if (envelope[DataKey] is not JsonObject data)
        {
            throw Fail($"{path}.{DataKey}", "expected a JSON object with \"objects\"");
        }

        foreach (var (key, value) in data)
        {
            if (value is null || !list.TryReadField(key, value, this, $"{path}.{DataKey}.{key}"))
            {
                list.ExtraFields[key] = value?.DeepClone();
            }
        }

        return list;
    }

    public IEnumerable<T> ReadObjectArray<T>(JsonNode node, string path)
        where T : OvoObject
    {
        if (node is not JsonArray array)
        {
            throw Fail(path, "expected a JSON array");
        }

        var items = new List<T>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i] ?? throw Fail($"{path}[{i}]", "must not be null");
            items.Add(ReadObject<T>(item, $"{path}[{i}]"));
        }

        return items;
    }

    public static string ReadString(JsonNode node, string path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Fail(path, "expected a string");

    public static bool ReadBool(JsonNode node, string path) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw Fail(path, "expected true or false");

    public static int ReadInt(JsonNode node, string path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)
            ? i
            : throw Fail(path, "expected an integer");

    public static IList<string> ReadStringArray(JsonNode node, string path)
    {
        if (node is not JsonArray array)
        {
            throw Fail(path, "expected an array of strings");
        }

        var list = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            list.Add(ReadString(array[i] ?? throw Fail($"{path}[{i}]", "must not be null"), $"{path}[{i}]"));
        }

        return list;
    }

    private static OvoObject Create(string name, string version, string path) => name switch
    {
        VifOpenVSwitch.Name => new VifOpenVSwitch(),
        VifBridge.Name => new VifBridge(),
        VifVlanNested.Name => new VifVlanNested(),
        VifMacvlanNested.Name => new VifMacvlanNested(),
        VifNetwork.Name => new VifNetwork(),
        VifSubnet.Name => new VifSubnet(),
        VifFixedIp.Name => new VifFixedIp(),
        VifRoute.Name => new VifRoute(),
        VifPortProfileOpenVSwitch.Name => new VifPortProfileOpenVSwitch(),
        _ when name.StartsWith("VIFPortProfile", StringComparison.Ordinal) => new VifPortProfileOther(name, version),
        _ => throw Fail($"{path}.{NameKey}",
            $"unknown versioned object \"{name}\" (known: {VifOpenVSwitch.Name}, {VifBridge.Name}, {VifVlanNested.Name}, {VifMacvlanNested.Name}, "
            + $"{VifNetwork.Name}, {VifSubnet.Name}, {VifFixedIp.Name}, {VifRoute.Name}, VIFPortProfile*)"),
    };

    private static string RequiredEnvelopeString(JsonObject envelope, string key, string path) =>
        envelope[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0
            ? v.GetValue<string>()
            : throw Fail($"{path}.{key}", envelope.ContainsKey(key) ? "expected a non-empty string" : "is missing");

    private static string Describe<T>() =>
        typeof(T) == typeof(VifBase) ? "VIF" : typeof(T) == typeof(VifPortProfile) ? "port profile" : typeof(T).Name;

    private static VifFormatException Fail(string path, string message) => new(path, message);
}
