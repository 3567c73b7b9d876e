using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Kuryr.Assignments;

/// <summary>
/// The VIFs the controller assigned to one pod, as published for the pod's node (the value of the
/// <c>&lt;prefix&gt;:node:{NODE}:vifs</c> HASH field <c>namespace/pod</c>).
/// </summary>
/// <param name="PodUid">The pod's UID (a reader checks it against the pod it plugs).</param>
/// <param name="KuryrPortResourceVersion">The KuryrPort's resourceVersion after the write, when known.</param>
/// <param name="Vifs">The KuryrPort's <c>status.vifs</c> map, verbatim (<c>ifname → {"default", "vif"}</c>).</param>
public sealed record NodeVifAssignment(
    [property: JsonPropertyName("podUid")] string PodUid,
    [property: JsonPropertyName("kuryrPortResourceVersion"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? KuryrPortResourceVersion,
    [property: JsonPropertyName("vifs")] JsonObject Vifs);

/// <summary>One published assignment with the pod it belongs to.</summary>
/// <param name="Namespace">Pod namespace.</param>
/// <param name="PodName">Pod name.</param>
/// <param name="Assignment">Its VIFs.</param>
public sealed record NodeVifEntry(string Namespace, string PodName, NodeVifAssignment Assignment);

/// <summary>A change notification for one node: the pod whose assignment was written or removed.</summary>
/// <param name="Node">The node.</param>
/// <param name="Namespace">Pod namespace.</param>
/// <param name="PodName">Pod name.</param>
public sealed record NodeVifChange(string Node, string Namespace, string PodName)
{
    /// <summary>The HASH field: <c>namespace/pod</c>.</summary>
    public string Field => Namespace + "/" + PodName;
}

[JsonSerializable(typeof(NodeVifAssignment))]
internal sealed partial class AssignmentsJsonContext : JsonSerializerContext;
