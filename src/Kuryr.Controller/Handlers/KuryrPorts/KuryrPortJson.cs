using System.Text.Json.Serialization;

namespace Kuryr.Controller.Handlers.KuryrPorts;

/// <summary>One entry of the pod's <c>k8s.v1.cni.cncf.io/network-status</c> annotation (Multus/NPWG format).</summary>
internal sealed record NetworkStatusEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("interface")] string Interface,
    [property: JsonPropertyName("ips")] IReadOnlyList<string> Ips,
    [property: JsonPropertyName("mac"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Mac,
    [property: JsonPropertyName("default")] bool Default,
    [property: JsonPropertyName("dns")] NetworkStatusDns Dns);

/// <summary>The (empty unless known) <c>dns</c> object of a network-status entry.</summary>
internal sealed record NetworkStatusDns(
    [property: JsonPropertyName("nameservers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Nameservers = null);

[JsonSerializable(typeof(Dictionary<string, VifSource>))]
[JsonSerializable(typeof(List<NetworkStatusEntry>))]
internal sealed partial class KuryrPortJsonContext : JsonSerializerContext;
