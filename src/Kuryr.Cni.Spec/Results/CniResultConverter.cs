using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Serialization;
using Kuryr.Cni.Spec.Versions;

namespace Kuryr.Cni.Spec.Results;

/// <summary>
/// Result versions in one place (as libcni's <c>types/create</c> + <c>convert</c>): read a result of
/// any readable version into the 1.x form, validate it, and write it for a target version.
/// </summary>
public static class CniResultConverter
{
    /// <summary>Reads a result (e.g. a <c>prevResult</c>) of version <paramref name="version"/>. Errors are code 6 naming the field.</summary>
    public static CniResult Read(JsonNode? node, string version, string what = "result")
    {
        if (!CniVersions.ReadableResults.Contains(version, StringComparer.Ordinal))
        {
            throw new CniException(CniErrorCodes.IncompatibleVersion,
                $"{what}: cniVersion \"{version}\" is not one of {string.Join(", ", CniVersions.ReadableResults)}");
        }

        if (node is not JsonObject obj)
        {
            throw new CniException(CniErrorCodes.DecodeFailure, $"{what}: failed to decode content: expected a JSON object, got {Kind(node)}");
        }

        CniResult result;
        try
        {
            result = obj.Deserialize(CniJsonContext.Default.CniResult)
                ?? throw new CniException(CniErrorCodes.DecodeFailure, $"{what}: failed to decode content: null");
        }
        catch (JsonException ex)
        {
            throw new CniException(CniErrorCodes.DecodeFailure, $"{what}: failed to decode content at {ex.Path ?? "$"}: wrong type", ex.Message);
        }

        Validate(result, what);
        result.CniVersion = version;
        return result;
    }

    /// <summary>Writes <paramref name="result"/> as version <paramref name="version"/> (0.3.1 and 0.4.0 get <c>ips[].version</c>).</summary>
    public static JsonObject Write(CniResult result, string version)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!CniVersions.IsSupported(version))
        {
            throw new CniException(CniErrorCodes.IncompatibleVersion, $"cannot write a result as cniVersion \"{version}\": supported are {string.Join(", ", CniVersions.Supported)}");
        }

        Validate(result, "result");
        var node = JsonSerializer.SerializeToNode(result, CniJsonContext.Default.CniResult)!.AsObject();
        node["cniVersion"] = version;
        if (!string.Equals(version, CniVersions.V110, StringComparison.Ordinal))
        {
            // Fields 1.1.0 added do not exist in older result types: libcni drops them when converting.
            StripFields(node["interfaces"], "mtu", "socketPath", "pciID");
            StripFields(node["routes"], "mtu", "advmss", "priority", "table", "scope");
        }

        if (CniVersions.HasIpVersionField(version) && node["ips"] is JsonArray ips)
        {
            for (var i = 0; i < ips.Count; i++)
            {
                var ip = ips[i]!.AsObject();
                var family = ParseCidr(ip["address"]!.GetValue<string>(), $"ips[{i}].address").Address.AddressFamily;

                // "version" first, as libcni writes it.
                var rebuilt = new JsonObject { ["version"] = family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "6" : "4" };
                foreach (var (k, v) in ip.ToList())
                {
                    ip.Remove(k);
                    rebuilt[k] = v;
                }

                ips[i] = rebuilt;
            }
        }

        return node;
    }

    /// <summary>Converts a result node from one version to another.</summary>
    public static JsonObject Convert(JsonNode? node, string fromVersion, string toVersion) => Write(Read(node, fromVersion), toVersion);

    /// <summary>Semantic checks libcni does not do but a consumer relies on: CIDRs, IPs, interface indexes.</summary>
    public static void Validate(CniResult result, string what)
    {
        ArgumentNullException.ThrowIfNull(result);
        var interfaces = result.Interfaces?.Count ?? 0;
        for (var i = 0; i < (result.Interfaces?.Count ?? 0); i++)
        {
            if (result.Interfaces![i] is null || string.IsNullOrEmpty(result.Interfaces[i].Name))
            {
                throw new CniException(CniErrorCodes.DecodeFailure, $"{what}: interfaces[{i}].name is missing");
            }
        }

        for (var i = 0; i < (result.Ips?.Count ?? 0); i++)
        {
            var ip = result.Ips![i] ?? throw new CniException(CniErrorCodes.DecodeFailure, $"{what}: ips[{i}] is null");
            ParseCidr(ip.Address, $"{what}: ips[{i}].address");
            if (ip.Gateway is not null && !IPAddress.TryParse(ip.Gateway, out _))
            {
                throw new CniException(CniErrorCodes.DecodeFailure, $"{what}: ips[{i}].gateway \"{ip.Gateway}\" is not an IP address");
            }

            if (ip.Interface is { } idx && (idx < 0 || idx >= interfaces))
            {
                throw new CniException(CniErrorCodes.DecodeFailure, $"{what}: ips[{i}].interface {idx} is not an index into interfaces (count {interfaces})");
            }
        }

        for (var i = 0; i < (result.Routes?.Count ?? 0); i++)
        {
            var route = result.Routes![i] ?? throw new CniException(CniErrorCodes.DecodeFailure, $"{what}: routes[{i}] is null");
            ParseCidr(route.Dst, $"{what}: routes[{i}].dst");
            if (route.Gw is not null && !IPAddress.TryParse(route.Gw, out _))
            {
                throw new CniException(CniErrorCodes.DecodeFailure, $"{what}: routes[{i}].gw \"{route.Gw}\" is not an IP address");
            }
        }
    }

    /// <summary>Parses <c>address/prefix</c> where the address may have host bits set (unlike <see cref="IPNetwork.Parse(string)"/>).</summary>
    public static (IPAddress Address, int PrefixLength) ParseCidr(string? text, string field)
    {
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash <= 0
            || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
            || prefix > (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32))
        {
            throw new CniException(CniErrorCodes.DecodeFailure, $"{field} \"{text}\" is not an address/prefix (CIDR)");
        }

        return (address, prefix);
    }

    private static void StripFields(JsonNode? array, params string[] names)
    {
        if (array is not JsonArray items)
        {
            return;
        }

        foreach (var item in items.OfType<JsonObject>())
        {
            foreach (var name in names)
            {
                item.Remove(name);
            }
        }
    }

    internal static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };
}
