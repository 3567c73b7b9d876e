using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Controller.Handlers.KuryrPorts;

/// <summary>What the handler needs from a KuryrPort, checked: names the missing field.</summary>
internal sealed record KuryrPortIdentity(string Namespace, string Name, string PodUid, string Node)
{
    /// <summary>The pool owner of one interface: <c>namespace/pod/uid/ifname</c> (as <see cref="Pools.PodVifRequest.Owner"/>).</summary>
    public string Owner(string ifname) => $"{Namespace}/{Name}/{PodUid}/{ifname}";

    public static KuryrPortIdentity Of(KuryrPort kp)
    {
        ArgumentNullException.ThrowIfNull(kp);
        var ns = kp.Metadata.Namespace;
        var name = kp.Metadata.Name;
        if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name))
        {
            throw new KuryrPortFormatException("KuryrPort: metadata.namespace and metadata.name are required");
        }

        var uid = kp.Spec?.PodUid;
        if (string.IsNullOrWhiteSpace(uid))
        {
            throw new KuryrPortFormatException($"KuryrPort {ns}/{name}: spec.podUid is missing");
        }

        var node = kp.Spec?.PodNodeName;
        if (string.IsNullOrWhiteSpace(node))
        {
            throw new KuryrPortFormatException($"KuryrPort {ns}/{name}: spec.podNodeName is missing");
        }

        return new KuryrPortIdentity(ns, name, uid, node);
    }
}

/// <summary>The <see cref="KuryrConstants.VifSourcesAnnotation"/> annotation.</summary>
internal static class VifSources
{
    public static IReadOnlyDictionary<string, VifSource> Parse(KuryrPort kp)
    {
        if (kp.Metadata.Annotations?.GetValueOrDefault(KuryrConstants.VifSourcesAnnotation) is not { } json)
        {
            return new Dictionary<string, VifSource>();
        }

        Dictionary<string, VifSource>? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(json, KuryrPortJsonContext.Default.DictionaryStringVifSource);
        }
        catch (JsonException e)
        {
            throw new KuryrPortFormatException(
                $"KuryrPort {kp.Metadata.Namespace}/{kp.Metadata.Name}: annotation {KuryrConstants.VifSourcesAnnotation} is not valid JSON: {e.Message}", e);
        }

        foreach (var (ifname, source) in parsed ?? [])
        {
            if (source is null || string.IsNullOrEmpty(source.Kind) || string.IsNullOrEmpty(source.PortId)
                || (source.Kind == VifSourceKinds.Pool && (string.IsNullOrEmpty(source.Pool) || string.IsNullOrEmpty(source.Driver))))
            {
                throw new KuryrPortFormatException(
                    $"KuryrPort {kp.Metadata.Namespace}/{kp.Metadata.Name}: annotation {KuryrConstants.VifSourcesAnnotation} entry \"{ifname}\" needs kind, portId (and pool, driver for kind pool)");
            }
        }

        return parsed ?? [];
    }
}

/// <summary>Reads Kuryr's os-vif envelope (<c>versioned_object.*</c>) without the full model.</summary>
internal static class VifEnvelope
{
    public static string? ClassName(JsonObject vif) => (string?)vif["versioned_object.name"];

    /// <summary>VIFVlanNested, VIFMacvlanNested, VIFDPDKNested: the pod's traffic goes over the VM's trunk.</summary>
    public static bool IsNested(JsonObject vif) => ClassName(vif) is "VIFVlanNested" or "VIFMacvlanNested" or "VIFDPDKNested";

    /// <summary>Kuryr's <c>VIF_TYPE_TO_DRIVER_MAPPING</c>: the pod VIF driver that made a VIF of this
    /// class (release and activation are routed by it), or null for an unknown class.</summary>
    public static string? PodVifDriver(JsonObject vif) => ClassName(vif) switch
    {
        "VIFOpenVSwitch" or "VIFBridge" or "VIFVHostUser" => KuryrDrivers.NeutronVif,
        "VIFVlanNested" => KuryrDrivers.NestedVlan,
        "VIFMacvlanNested" => KuryrDrivers.NestedMacvlan,
        "VIFDPDKNested" => KuryrDrivers.NestedDpdk,
        _ => null,
    };

    public static string PortId(JsonObject vif, string ifname) =>
        (string?)vif["versioned_object.data"]?["id"] is { Length: > 0 } id
            ? id
            : throw new KuryrPortFormatException($"status.vifs.{ifname}.vif: versioned_object.data.id (the port id) is missing");

    public static string? NetworkId(JsonObject vif) => (string?)vif["versioned_object.data"]?["network"]?["versioned_object.data"]?["id"];
}

/// <summary>A KuryrPort the handler cannot work with; the message names the object and field.</summary>
public sealed class KuryrPortFormatException : Exception
{
    public KuryrPortFormatException() { }

    public KuryrPortFormatException(string message) : base(message) { }

    public KuryrPortFormatException(string message, Exception innerException) : base(message, innerException) { }
}
