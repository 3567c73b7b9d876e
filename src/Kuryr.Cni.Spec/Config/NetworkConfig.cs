using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Results;
using Kuryr.Cni.Spec.Versions;

namespace Kuryr.Cni.Spec.Config;

/// <summary>
/// The network configuration a runtime writes to the plugin's stdin: one plugin's object from a
/// conflist, with <c>name</c> and <c>cniVersion</c> copied in, and <c>prevResult</c> /
/// <c>runtimeConfig</c> added by the runtime. Plugin-specific keys (Kuryr's <c>kuryr_conf</c>,
/// <c>debug</c>, Kuryr.Node's <c>socket</c>, ...) are kept in <see cref="Raw"/> and forwarded as they are.
/// </summary>
public sealed class NetworkConfig
{
    /// <summary>Stdin is refused above this size (a real config is a few KiB; a prevResult with many IPs tens).</summary>
    public const int MaxBytes = 1024 * 1024;

    public const string ValidAttachmentsKey = "cni.dev/valid-attachments";

    private NetworkConfig(JsonObject raw, string cniVersion)
    {
        Raw = raw;
        CniVersion = cniVersion;
    }

    /// <summary>The whole object as it came (forwarded to the agent untouched).</summary>
    public JsonObject Raw { get; }

    public string CniVersion { get; }

    public string? Name { get; private init; }

    public string? Type { get; private init; }

    public JsonObject? PrevResultNode { get; private init; }

    public JsonObject? RuntimeConfig { get; private init; }

    /// <summary>Kuryr.Node: the agent's unix socket (overrides <c>[cni_daemon] socket_path</c>).</summary>
    public string? Socket { get; private init; }

    /// <summary>Kuryr: the kuryr.conf to read <c>[cni_daemon] socket_path</c> from.</summary>
    public string? KuryrConf { get; private init; }

    /// <summary>Kuryr: log at debug level.</summary>
    public bool Debug { get; private init; }

    /// <summary>Kuryr.Node: seconds kuryr-cni waits for the agent's answer (default 150: ADD waits up to twice vif_annotation_timeout).</summary>
    public int? TimeoutSeconds { get; private init; }

    /// <summary>GC (1.1.0): the attachments the runtime still knows; null when the key is absent.</summary>
    public IReadOnlyList<CniAttachment>? ValidAttachments { get; private init; }

    /// <summary>Parses stdin bytes. Errors: 6 (not JSON, wrong type, too big; naming the field), 1 (unknown version), 7 (missing field).</summary>
    public static NetworkConfig Parse(ReadOnlySpan<byte> utf8, bool requireName = true)
    {
        if (utf8.Length > MaxBytes)
        {
            throw new CniException(CniErrorCodes.DecodeFailure, $"failed to decode content: the network configuration on stdin is {utf8.Length} bytes, more than the {MaxBytes} allowed");
        }

        if (utf8.IsEmpty || utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new CniException(CniErrorCodes.DecodeFailure, "failed to decode content: the network configuration on stdin is empty");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw new CniException(CniErrorCodes.DecodeFailure,
                $"failed to decode content: the network configuration is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})", ex.Message);
        }

        if (node is not JsonObject obj)
        {
            throw new CniException(CniErrorCodes.DecodeFailure, $"failed to decode content: the network configuration is {CniResultConverter.Kind(node)}, not a JSON object");
        }

        var version = String(obj, "cniVersion");
        if (version is null)
        {
            throw new CniException(CniErrorCodes.InvalidNetworkConfig, "invalid network config: cniVersion is missing");
        }

        if (!CniVersions.IsSupported(version))
        {
            throw new CniException(CniErrorCodes.IncompatibleVersion,
                $"incompatible CNI version: cniVersion \"{CniArgsText(version)}\" is not one of {string.Join(", ", CniVersions.Supported)}");
        }

        var name = String(obj, "name");
        if (requireName && string.IsNullOrEmpty(name))
        {
            throw new CniException(CniErrorCodes.InvalidNetworkConfig, "invalid network config: name is missing");
        }

        var timeout = Int(obj, "timeout");
        if (timeout is <= 0 or > 3600)
        {
            throw new CniException(CniErrorCodes.InvalidNetworkConfig, $"invalid network config: timeout {timeout} is not between 1 and 3600 seconds");
        }

        var socket = String(obj, "socket");
        if (socket is not null && !socket.StartsWith('/'))
        {
            throw new CniException(CniErrorCodes.InvalidNetworkConfig, $"invalid network config: socket \"{CniArgsText(socket)}\" is not an absolute path");
        }

        return new NetworkConfig(obj, version)
        {
            Name = name,
            Type = String(obj, "type"),
            PrevResultNode = Object(obj, "prevResult"),
            RuntimeConfig = Object(obj, "runtimeConfig"),
            Socket = socket,
            KuryrConf = String(obj, "kuryr_conf"),
            Debug = Bool(obj, "debug") ?? false,
            TimeoutSeconds = timeout,
            ValidAttachments = Attachments(obj),
        };
    }

    /// <summary>The prevResult in the 1.x form, or null. Errors are code 6 naming the field (code 1 for its version).</summary>
    public CniResult? ReadPrevResult() => PrevResultNode is null ? null : CniResultConverter.Read(PrevResultNode, CniVersion, "prevResult");

    private static string? String(JsonObject obj, string key) => obj[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw WrongType(key, "a string", other),
    };

    private static bool? Bool(JsonObject obj, string key) => obj[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        var other => throw WrongType(key, "a boolean", other),
    };

    private static int? Int(JsonObject obj, string key) => obj[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) => i,
        var other => throw WrongType(key, "an integer", other),
    };

    private static JsonObject? Object(JsonObject obj, string key) => obj[key] switch
    {
        null => null,
        JsonObject o => o,
        var other => throw WrongType(key, "an object", other),
    };

    private static List<CniAttachment>? Attachments(JsonObject obj)
    {
        switch (obj[ValidAttachmentsKey])
        {
            case null:
                return null;
            case JsonArray array:
                var list = new List<CniAttachment>(array.Count);
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is not JsonObject item)
                    {
                        throw WrongType($"{ValidAttachmentsKey}[{i}]", "an object", array[i]);
                    }

                    var id = String(item, "containerID") ?? throw new CniException(CniErrorCodes.InvalidNetworkConfig, $"invalid network config: {ValidAttachmentsKey}[{i}].containerID is missing");
                    var ifName = String(item, "ifname") ?? throw new CniException(CniErrorCodes.InvalidNetworkConfig, $"invalid network config: {ValidAttachmentsKey}[{i}].ifname is missing");
                    list.Add(new CniAttachment(id, ifName));
                }

                return list;
            case var other:
                throw WrongType(ValidAttachmentsKey, "an array", other);
        }
    }

    private static CniException WrongType(string field, string expected, JsonNode? actual) =>
        new(CniErrorCodes.DecodeFailure, $"failed to decode content: network configuration field \"{field}\" must be {expected}, not {CniResultConverter.Kind(actual)}");

    private static string CniArgsText(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 64), "...");
}

/// <summary>One entry of <c>cni.dev/valid-attachments</c>.</summary>
public sealed record CniAttachment(string ContainerId, string IfName);
