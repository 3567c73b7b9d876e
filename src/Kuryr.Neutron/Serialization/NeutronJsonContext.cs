using System.Text.Json.Serialization;
using Kuryr.Neutron.Extensions;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Quotas;
using Kuryr.Neutron.Routers;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Neutron.SubnetPools;
using Kuryr.Neutron.Subnets;
using Kuryr.Neutron.Trunks;

namespace Kuryr.Neutron.Serialization;

/// <summary>
/// Source-generated (de)serialization of every Neutron body. <see langword="null"/> members are
/// not written, so the create/update types send exactly the fields the caller set.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Port))]
[JsonSerializable(typeof(PortCreate))]
[JsonSerializable(typeof(PortUpdate))]
[JsonSerializable(typeof(IReadOnlyList<PortCreate>))]
[JsonSerializable(typeof(Trunk))]
[JsonSerializable(typeof(TrunkCreate))]
[JsonSerializable(typeof(IReadOnlyList<SubPort>))]
[JsonSerializable(typeof(IReadOnlyList<SubPortReference>))]
[JsonSerializable(typeof(Network))]
[JsonSerializable(typeof(NetworkCreate))]
[JsonSerializable(typeof(Subnet))]
[JsonSerializable(typeof(SubnetCreate))]
[JsonSerializable(typeof(SubnetPool))]
[JsonSerializable(typeof(SubnetPoolCreate))]
[JsonSerializable(typeof(SecurityGroup))]
[JsonSerializable(typeof(SecurityGroupCreate))]
[JsonSerializable(typeof(SecurityGroupRule))]
[JsonSerializable(typeof(SecurityGroupRuleCreate))]
[JsonSerializable(typeof(Router))]
[JsonSerializable(typeof(RouterCreate))]
[JsonSerializable(typeof(RouterInterface))]
[JsonSerializable(typeof(RouterInterfaceRequest))]
[JsonSerializable(typeof(Extension))]
[JsonSerializable(typeof(Dictionary<string, QuotaUsage>))]
[JsonSerializable(typeof(IReadOnlyList<NeutronLink>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class NeutronJsonContext : JsonSerializerContext
{
}

/// <summary><c>{"port_id": ...}</c> in a <c>remove_subports</c> body.</summary>
internal sealed record SubPortReference([property: JsonPropertyName("port_id")] string PortId);

/// <summary><c>{"subnet_id": ...}</c> in an <c>add/remove_router_interface</c> body.</summary>
internal sealed record RouterInterfaceRequest([property: JsonPropertyName("subnet_id")] string SubnetId);
