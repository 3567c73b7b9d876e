using System.Text.Json.Serialization;

namespace Kuryr.Controller.Handlers.KuryrPorts;

/// <summary>
/// Where one VIF of a KuryrPort came from, so it is given back the right way on finalize (stored
/// in the <see cref="KuryrConstants.VifSourcesAnnotation"/> annotation, ifname → source).
/// </summary>
/// <param name="Kind"><see cref="VifSourceKinds"/>: <c>pool</c>, <c>port</c> or <c>spec-port</c>.</param>
/// <param name="PortId">The Neutron port.</param>
/// <param name="Pool">For <c>pool</c>: the pool id (<c>HOST/PROJECT/NETWORK</c>).</param>
/// <param name="Driver">For <c>pool</c>: the pool driver (<c>neutron</c>, <c>nested</c>, <c>noop</c>); for <c>port</c>: the pod VIF driver that created it.</param>
/// <param name="TrunkId">For a nested <c>port</c>: the trunk it was attached to (detach before delete).</param>
/// <param name="Network">NPWG: the NetworkAttachmentDefinition (<c>namespace/name</c>) for the network-status annotation.</param>
public sealed record VifSource(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("portId")] string PortId,
    [property: JsonPropertyName("pool"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Pool = null,
    [property: JsonPropertyName("driver"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Driver = null,
    [property: JsonPropertyName("trunkId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TrunkId = null,
    [property: JsonPropertyName("network"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Network = null);

/// <summary>The values of <see cref="VifSource.Kind"/>.</summary>
public static class VifSourceKinds
{
    /// <summary>Taken from a pool: released to it (no Neutron call).</summary>
    public const string Pool = "pool";

    /// <summary>Created for this pod outside the pools (NAD <c>driverType</c>): deleted (nested: detached first).</summary>
    public const string Port = "port";

    /// <summary>An operator's pre-created port (<c>spec-ports</c>): never deleted; only our binding is cleared.</summary>
    public const string SpecPort = "spec-port";
}
