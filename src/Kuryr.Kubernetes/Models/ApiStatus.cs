using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kuryr.Kubernetes.Models;

/// <summary><c>metav1.Status</c>: the body of every API error, of some deletes and of watch ERROR events.</summary>
public sealed class ApiStatus
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Status";

    /// <summary><c>Success</c> or <c>Failure</c> (the wire name is <c>status</c>).</summary>
    [JsonPropertyName("status")]
    public string? Result { get; set; }

    public string? Message { get; set; }

    /// <summary>Machine-readable reason: <c>NotFound</c>, <c>Conflict</c>, <c>AlreadyExists</c>, <c>Expired</c>, <c>Gone</c>, <c>Invalid</c>, ...</summary>
    public string? Reason { get; set; }

    public int? Code { get; set; }

    public StatusDetails? Details { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary><c>metav1.StatusDetails</c>.</summary>
public sealed class StatusDetails
{
    public string? Name { get; set; }

    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string? Uid { get; set; }

    public List<StatusCause>? Causes { get; set; }

    public int? RetryAfterSeconds { get; set; }
}

/// <summary><c>metav1.StatusCause</c>: for Invalid, which field and why.</summary>
public sealed class StatusCause
{
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? Field { get; set; }
}

/// <summary><c>metav1.DeleteOptions</c>, sent as the body of a DELETE.</summary>
public sealed class DeleteOptions
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "DeleteOptions";

    /// <summary>0 deletes a bound pod at once (no kubelet runs here to confirm it).</summary>
    public long? GracePeriodSeconds { get; set; }

    public Preconditions? Preconditions { get; set; }

    /// <summary><c>Orphan</c>, <c>Background</c> or <c>Foreground</c>.</summary>
    public string? PropagationPolicy { get; set; }
}

/// <summary>Delete only when the object still has this uid / resourceVersion (409 Conflict otherwise).</summary>
public sealed class Preconditions
{
    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }
}

/// <summary>Watch event types as the API server writes them.</summary>
public static class WatchEventTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}

/// <summary>
/// One event of a watch stream. For <c>ERROR</c> events <see cref="Object"/> is null and
/// <see cref="Status"/> carries the API status (e.g. 410 Expired: relist). For <c>BOOKMARK</c>
/// events only <c>Object.Metadata.ResourceVersion</c> is meaningful.
/// </summary>
[SuppressMessage("Naming", "CA1720", Justification = "The wire name of the watch event field.")]
public sealed record WatchEvent<T>(string Type, T? Object, ApiStatus? Status)
    where T : KubernetesObject
{
    public bool IsError => Type == WatchEventTypes.Error;

    public bool IsBookmark => Type == WatchEventTypes.Bookmark;
}
