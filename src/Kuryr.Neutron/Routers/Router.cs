using System.Text.Json;
using System.Text.Json.Serialization;
using Kuryr.Neutron.Serialization;

namespace Kuryr.Neutron.Routers;

/// <summary>A Neutron router.</summary>
public sealed record Router
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("admin_state_up")] public bool? AdminStateUp { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("tenant_id")] public string? TenantId { get; init; }

    [JsonPropertyName("external_gateway_info")] public JsonElement? ExternalGatewayInfo { get; init; }

    [JsonPropertyName("routes")] public IReadOnlyList<RouterRoute> Routes { get; init; } = [];

    [JsonPropertyName("tags")] public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("revision_number")] public long? RevisionNumber { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An extra route of a router.</summary>
public sealed record RouterRoute
{
    [JsonPropertyName("destination")] public string Destination { get; init; } = "";

    [JsonPropertyName("nexthop")] public string Nexthop { get; init; } = "";
}

/// <summary>Body of a router creation.</summary>
public sealed record RouterCreate
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonPropertyName("admin_state_up")] public bool? AdminStateUp { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }
}

/// <summary>What <c>add_router_interface</c>/<c>remove_router_interface</c> answer.</summary>
public sealed record RouterInterface
{
    /// <summary>The router.</summary>
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("subnet_id")] public string? SubnetId { get; init; }

    [JsonPropertyName("subnet_ids")] public IReadOnlyList<string> SubnetIds { get; init; } = [];

    /// <summary>The router's port on the subnet (device_owner <c>network:router_interface</c>).</summary>
    [JsonPropertyName("port_id")] public string PortId { get; init; } = "";

    [JsonPropertyName("network_id")] public string? NetworkId { get; init; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Router list filters.</summary>
public sealed record RouterFilter : NeutronFilter
{
}
