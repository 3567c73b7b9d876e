using System.Globalization;
using System.Net;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Client;

/// <summary>The kinds of API errors callers branch on (from the Status reason, else the HTTP code).</summary>
public enum KubernetesErrorKind
{
    Other,
    NotFound,
    Conflict,
    AlreadyExists,
    Gone,
    Invalid,
    Forbidden,
    Unauthorized,
    TooManyRequests,
    Timeout,
    BadRequest,
    UnsupportedMediaType,
    ServerError,
}

/// <summary>
/// The API server refused a request. Carries the HTTP status and the API <see cref="ApiStatus"/>
/// (reason, code, message, details). Check <see cref="Kind"/> or the <c>Is…</c> properties.
/// </summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException(string operation, HttpStatusCode statusCode, ApiStatus? status, string? body = null)
        : base(Format(operation, statusCode, status, body))
    {
        Operation = operation;
        StatusCode = statusCode;
        Status = status;
        Kind = Classify(statusCode, status?.Reason);
    }

    public KubernetesApiException() : this("unknown", 0, null) { }

    public KubernetesApiException(string message) : base(message) => Operation = "unknown";

    public KubernetesApiException(string message, Exception innerException) : base(message, innerException) => Operation = "unknown";

    /// <summary>e.g. <c>PUT /api/v1/namespaces/x/pods/y</c>.</summary>
    public string Operation { get; }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The Status the server answered with, when it sent one.</summary>
    public ApiStatus? Status { get; }

    /// <summary>The Status reason (<c>Conflict</c>, <c>NotFound</c>, ...), or null.</summary>
    public string? Reason => Status?.Reason;

    public KubernetesErrorKind Kind { get; }

    public bool IsNotFound => Kind == KubernetesErrorKind.NotFound;

    public bool IsConflict => Kind == KubernetesErrorKind.Conflict;

    public bool IsAlreadyExists => Kind == KubernetesErrorKind.AlreadyExists;

    /// <summary>410: the resourceVersion is too old (relist).</summary>
    public bool IsGone => Kind == KubernetesErrorKind.Gone;

    public bool IsInvalid => Kind == KubernetesErrorKind.Invalid;

    public bool IsForbidden => Kind == KubernetesErrorKind.Forbidden;

    public bool IsUnauthorized => Kind == KubernetesErrorKind.Unauthorized;

    /// <summary>Maps a Status reason / HTTP code to a <see cref="KubernetesErrorKind"/>.</summary>
    public static KubernetesErrorKind Classify(HttpStatusCode code, string? reason) => reason switch
    {
        "NotFound" => KubernetesErrorKind.NotFound,
        "AlreadyExists" => KubernetesErrorKind.AlreadyExists,
        "Conflict" => KubernetesErrorKind.Conflict,
        "Gone" or "Expired" => KubernetesErrorKind.Gone,
        "Invalid" => KubernetesErrorKind.Invalid,
        "Forbidden" => KubernetesErrorKind.Forbidden,
        "Unauthorized" => KubernetesErrorKind.Unauthorized,
        "TooManyRequests" => KubernetesErrorKind.TooManyRequests,
        "Timeout" or "ServerTimeout" => KubernetesErrorKind.Timeout,
        "BadRequest" => KubernetesErrorKind.BadRequest,
        "UnsupportedMediaType" => KubernetesErrorKind.UnsupportedMediaType,
        _ => (int)code switch
        {
            404 => KubernetesErrorKind.NotFound,
            409 => KubernetesErrorKind.Conflict,
            410 => KubernetesErrorKind.Gone,
            422 => KubernetesErrorKind.Invalid,
            403 => KubernetesErrorKind.Forbidden,
            401 => KubernetesErrorKind.Unauthorized,
            429 => KubernetesErrorKind.TooManyRequests,
            504 => KubernetesErrorKind.Timeout,
            400 => KubernetesErrorKind.BadRequest,
            415 => KubernetesErrorKind.UnsupportedMediaType,
            >= 500 => KubernetesErrorKind.ServerError,
            _ => KubernetesErrorKind.Other,
        },
    };

    private static string Format(string operation, HttpStatusCode code, ApiStatus? status, string? body)
    {
        var text = status?.Message ?? (string.IsNullOrWhiteSpace(body) ? code.ToString() : body.Length > 300 ? body[..300] : body);
        return string.Create(CultureInfo.InvariantCulture, $"Kubernetes {operation} failed: {(int)code}") +
            (status?.Reason is { } r ? " " + r : "") + ": " + text;
    }
}
