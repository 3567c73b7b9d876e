using System.Text.Json;
using Kuryr.Config.Options;
using Kuryr.Controller.MultiVif.Common;

namespace Kuryr.Controller.MultiVif.Npwg;

/// <summary>A NetworkAttachmentDefinition's <c>openstack.org/kuryr-config</c>: <c>{"subnetId", "driverType"}</c>, both optional.</summary>
/// <param name="SubnetId">The subnet of the additional VIF, or null.</param>
/// <param name="DriverType">The pod VIF driver (<c>neutron-vif</c>, <c>nested-vlan</c>, <c>nested-macvlan</c>, ...), or null: pooled like eth0.</param>
public sealed record NadKuryrConfig(string? SubnetId, string? DriverType)
{
    /// <summary>The <c>driverType</c> values Kuryr knew.</summary>
    public static readonly IReadOnlySet<string> KnownDriverTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        KuryrDrivers.NeutronVif, KuryrDrivers.NestedVlan, KuryrDrivers.NestedMacvlan, KuryrDrivers.NestedDpdk, "sriov",
    };

    public const string Annotation = KuryrConstants.NadKuryrConfigAnnotation;

    /// <summary>Parses the annotation's value; <see cref="MultiVifAnnotationException"/> naming the key on any problem.
    /// Unknown keys are ignored (Kuryr ignores them too).</summary>
    public static NadKuryrConfig Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new MultiVifAnnotationException(Annotation, "is empty; expected a JSON object {\"subnetId\": ..., \"driverType\": ...}");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new MultiVifAnnotationException(Annotation, $"is not valid JSON ({e.Message})", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new MultiVifAnnotationException(Annotation, $"is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, expected an object {{\"subnetId\": ..., \"driverType\": ...}}");
            }

            var subnet = OptionalString(doc.RootElement, "subnetId");
            var driver = OptionalString(doc.RootElement, "driverType");
            if (subnet is not null && !AnnotationText.IsUuid(subnet))
            {
                throw new MultiVifAnnotationException(Annotation, $"\"subnetId\" \"{AnnotationText.Shorten(subnet)}\" is not a Neutron subnet id (UUID)");
            }

            if (driver is not null && !KnownDriverTypes.Contains(driver))
            {
                throw new MultiVifAnnotationException(Annotation,
                    $"\"driverType\" \"{AnnotationText.Shorten(driver)}\" is unknown; expected one of {string.Join(", ", KnownDriverTypes.Order(StringComparer.Ordinal))}");
            }

            return new NadKuryrConfig(subnet, driver);
        }
    }

    private static string? OptionalString(JsonElement obj, string key)
    {
        if (!obj.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            throw new MultiVifAnnotationException(Annotation, $"\"{key}\" is a JSON {v.ValueKind.ToString().ToLowerInvariant()}, expected a string");
        }

        var s = v.GetString()!.Trim();
        return s.Length == 0 ? null : s;
    }
}
