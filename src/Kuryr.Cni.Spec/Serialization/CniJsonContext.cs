using System.Text.Json.Serialization;
using Kuryr.Cni.Spec.Agent;
using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Results;
using Kuryr.Cni.Spec.Versions;

namespace Kuryr.Cni.Spec.Serialization;

/// <summary>Source-generated JSON for everything kuryr-cni and the agent exchange (no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CniResult))]
[JsonSerializable(typeof(CniError))]
[JsonSerializable(typeof(CniVersionResult))]
[JsonSerializable(typeof(AgentRequest))]
public sealed partial class CniJsonContext : JsonSerializerContext
{
}
