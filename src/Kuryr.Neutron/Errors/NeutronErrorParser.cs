using System.Text;
using System.Text.Json;

namespace Kuryr.Neutron.Errors;

/// <summary>
/// Turns a non-2xx answer into the matching <see cref="NeutronException"/> subclass. Understands
/// Neutron's <c>{"NeutronError": {"type", "message", "detail"}}</c>, keystonemiddleware's and
/// Keystone's <c>{"error": {"code", "title", "message"}}</c>, webob's
/// <c>{"badRequest": {"message"}}</c>-style envelopes, and plain text or HTML.
/// </summary>
internal static class NeutronErrorParser
{
    /// <summary>Longest part of a non-JSON body kept in the message.</summary>
    internal const int MaxTextLength = 512;

    /// <summary>The error type, message and detail found in <paramref name="body"/>.</summary>
    internal readonly record struct NeutronErrorBody(string? Type, string Message, string? Detail);

    public static NeutronException ToException(string operation, int statusCode, ReadOnlySpan<byte> body, string? requestId)
    {
        var parsed = Parse(statusCode, body);
        var message = string.IsNullOrEmpty(parsed.Detail) ? parsed.Message : $"{parsed.Message} ({parsed.Detail})";
        return Create(operation, statusCode, parsed.Type, message, requestId);
    }

    public static NeutronException Create(string operation, int statusCode, string? type, string message, string? requestId) => statusCode switch
    {
        400 => new NeutronBadRequestException(operation, type, message, requestId),
        401 => new NeutronUnauthorizedException(operation, type, message, requestId),
        403 => new NeutronForbiddenException(operation, type, message, requestId),
        404 => new NeutronNotFoundException(operation, type, message, requestId),
        409 when type == "OverQuota" => new NeutronOverQuotaException(operation, type, message, requestId),
        409 when type == "IpAddressGenerationFailure" => new NeutronIpAddressGenerationFailureException(operation, type, message, requestId),
        409 => new NeutronConflictException(operation, type, message, requestId),
        412 => new NeutronPreconditionFailedException(operation, type, message, requestId),
        >= 500 and <= 599 => new NeutronServerException(operation, statusCode, type, message, requestId),
        _ => new NeutronException(operation, statusCode, type, message, requestId),
    };

    public static NeutronErrorBody Parse(int statusCode, ReadOnlySpan<byte> body)
    {
        if (TryParseJson(body, out var parsed))
        {
            return parsed;
        }

        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.Length == 0)
        {
            return new(null, DefaultMessage(statusCode), null);
        }

        if (text.Length > MaxTextLength)
        {
            text = string.Concat(text.AsSpan(0, MaxTextLength), "…");
        }

        return new(null, text, null);
    }

    private static bool TryParseJson(ReadOnlySpan<byte> body, out NeutronErrorBody parsed)
    {
        parsed = default;
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            return false;
        }

        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(trimmed);
            if (!JsonDocument.TryParseValue(ref reader, out var d))
            {
                return false;
            }

            doc = d;
        }
        catch (JsonException)
        {
            return false;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            // Neutron: {"NeutronError": {"type": "PortNotFound", "message": "...", "detail": ""}}
            if (root.TryGetProperty("NeutronError", out var ne))
            {
                if (ne.ValueKind == JsonValueKind.Object)
                {
                    parsed = new(
                        NonEmpty(GetString(ne, "type")),
                        GetString(ne, "message") ?? "Neutron error",
                        NonEmpty(GetString(ne, "detail")));
                    return true;
                }

                // Older servers: {"NeutronError": "message"}
                if (ne.ValueKind == JsonValueKind.String)
                {
                    parsed = new(null, ne.GetString() ?? "Neutron error", null);
                    return true;
                }
            }

            // Keystone / keystonemiddleware: {"error": {"code": 401, "title": "Unauthorized", "message": "..."}}
            if (root.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.Object)
            {
                parsed = new(NonEmpty(GetString(err, "title")), GetString(err, "message") ?? GetString(err, "title") ?? "error", null);
                return true;
            }

            // webob/oslo style: {"badRequest": {"message": "...", "code": 400}} or {"message": "..."}
            if (root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                parsed = new(null, m.GetString() ?? "error", null);
                return true;
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && GetString(property.Value, "message") is { } msg)
                {
                    parsed = new(property.Name, msg, null);
                    return true;
                }
            }

            parsed = new(null, Truncate(root.GetRawText()), null);
            return true;
        }
    }

    private static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => v.GetRawText(),
        } : null;

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static string Truncate(string s) => s.Length > MaxTextLength ? string.Concat(s.AsSpan(0, MaxTextLength), "…") : s;

    private static string DefaultMessage(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        412 => "Precondition Failed",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => $"HTTP {statusCode}",
    };
}
