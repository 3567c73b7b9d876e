using System.Text.Json.Nodes;

namespace Kuryr.Kubernetes.Client;

/// <summary>The three patch content types the API server accepts.</summary>
public enum PatchType
{
    /// <summary><c>application/merge-patch+json</c> (RFC 7386): lists are replaced whole.</summary>
    Merge,

    /// <summary><c>application/json-patch+json</c> (RFC 6902): a list of operations, <c>test</c> included.</summary>
    Json,

    /// <summary><c>application/strategic-merge-patch+json</c>: built-in types only (not custom resources).</summary>
    StrategicMerge,
}

/// <summary>A patch body with its type. Build one with <see cref="Merge"/>, <see cref="Json"/> or <see cref="StrategicMerge"/>.</summary>
public sealed record KubernetesPatch(PatchType Type, string Body)
{
    public static KubernetesPatch Merge(JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return new(PatchType.Merge, patch.ToJsonString());
    }

    public static KubernetesPatch Json(JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return new(PatchType.Json, operations.ToJsonString());
    }

    public static KubernetesPatch StrategicMerge(JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return new(PatchType.StrategicMerge, patch.ToJsonString());
    }

    public string ContentType => Type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        _ => throw new InvalidOperationException("unknown patch type " + Type),
    };
}
