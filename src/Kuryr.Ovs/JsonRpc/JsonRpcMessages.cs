using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Kuryr.Ovs.JsonRpc;

/// <summary>A JSON-RPC 1.0 request or notification we send (RFC 7047 §4).</summary>
internal sealed class JsonRpcRequest
{
    [JsonPropertyName("method")]
    public required string Method { get; init; }

    [JsonPropertyName("params")]
    public required JsonArray Params { get; init; }

    /// <summary>Null for a notification (written as <c>"id": null</c>).</summary>
    [JsonPropertyName("id")]
    public long? Id { get; init; }
}

/// <summary>Our reply to a request from the server (only <c>echo</c> in practice).</summary>
internal sealed class JsonRpcReply
{
    [JsonPropertyName("result")]
    public JsonElement? Result { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("id")]
    public JsonElement? Id { get; init; }
}

/// <summary>Any message from the server: a response (result/error/id) or a request/notification (method/params/id).</summary>
internal sealed class JsonRpcMessage
{
    [JsonPropertyName("method")]
    public string? Method { get; init; }

    [JsonPropertyName("params")]
    public JsonElement? Params { get; init; }

    [JsonPropertyName("result")]
    public JsonElement? Result { get; init; }

    [JsonPropertyName("error")]
    public JsonElement? Error { get; init; }

    [JsonPropertyName("id")]
    public JsonElement? Id { get; init; }

    public bool HasId => Id is { ValueKind: not JsonValueKind.Null };

    public bool HasError => Error is { ValueKind: not JsonValueKind.Null };
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JsonRpcRequest))]
[JsonSerializable(typeof(JsonRpcReply))]
[JsonSerializable(typeof(JsonRpcMessage))]
internal sealed partial class JsonRpcJsonContext : JsonSerializerContext;
