using Kuryr.Neutron.Extensions;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Quotas;
using Kuryr.Neutron.Routers;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Neutron.SubnetPools;
using Kuryr.Neutron.Subnets;
using Kuryr.Neutron.Trunks;

namespace Kuryr.Neutron;

/// <summary>
/// Neutron's resource API (v2.0) for the controller and the pools. Every failure is a
/// <see cref="Errors.NeutronException"/> (subclass by status: not found, conflict with
/// <see cref="Errors.NeutronException.ErrorType"/>, precondition failed, ...), except that the
/// <c>Delete*</c> methods answer <see langword="false"/> for an object that is already gone, so
/// callers can delete idempotently. Bad arguments throw <see cref="ArgumentException"/> naming the
/// field before anything is sent. Reads, deletes and plain attribute updates are retried by the
/// transport; creations and the trunk/router membership calls are not (see docs/neutron-client.md).
/// </summary>
public interface INeutronClient
{
    // ---- Ports ----

    /// <summary><c>POST /ports</c> (one port). Tags are set in the same call when Neutron can.</summary>
    Task<Port> CreatePortAsync(PortCreate port, CancellationToken cancellationToken = default);

    /// <summary>
    /// ONE bulk <c>POST /ports</c> (<c>{"ports": [...]}</c>, all-or-nothing in Neutron), counted
    /// against the bulk-create cap. Tags go in the POST when the <c>tag-ports-during-bulk-creation</c>
    /// extension is loaded; otherwise each port is tagged right after, and if that fails the created
    /// ports are deleted before the error is thrown (no untagged port is left behind).
    /// An empty list sends nothing.
    /// </summary>
    Task<IReadOnlyList<Port>> CreatePortsAsync(IReadOnlyList<PortCreate> ports, CancellationToken cancellationToken = default);

    Task<Port> GetPortAsync(string portId, CancellationToken cancellationToken = default);

    /// <summary>Every port matching <paramref name="filter"/>, following Neutron's pagination links.</summary>
    IAsyncEnumerable<Port> ListPortsAsync(PortFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /ports/{id}</c> with the members of <paramref name="update"/> that are set.
    /// <paramref name="ifMatchRevision"/> sends <c>If-Match: revision_number=N</c>: Neutron answers
    /// 412 (<see cref="Errors.NeutronException.StatusCode"/>) when the port changed since.</summary>
    Task<Port> UpdatePortAsync(string portId, PortUpdate update, long? ifMatchRevision = null, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /ports/{id}</c>; <see langword="false"/> when the port did not exist.</summary>
    Task<bool> DeletePortAsync(string portId, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /ports/{id}/tags</c>: replaces all tags; returns the tags Neutron stored.</summary>
    Task<IReadOnlyList<string>> SetPortTagsAsync(string portId, IReadOnlyList<string> tags, CancellationToken cancellationToken = default);

    // ---- Trunks ----

    /// <summary><c>POST /trunks</c>. The parent port must be unbound at this point.</summary>
    Task<Trunk> CreateTrunkAsync(TrunkCreate trunk, CancellationToken cancellationToken = default);

    Task<Trunk> GetTrunkAsync(string trunkId, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Trunk> ListTrunksAsync(TrunkFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /trunks/{id}</c>; <see langword="false"/> when the trunk did not exist.</summary>
    Task<bool> DeleteTrunkAsync(string trunkId, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /trunks/{id}/add_subports</c> (not retried: see docs). A VLAN id already in
    /// use on the trunk gives a conflict.</summary>
    Task<Trunk> AddSubportsAsync(string trunkId, IReadOnlyList<SubPort> subPorts, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /trunks/{id}/remove_subports</c> (not retried: see docs).</summary>
    Task<Trunk> RemoveSubportsAsync(string trunkId, IReadOnlyList<string> portIds, CancellationToken cancellationToken = default);

    /// <summary><c>GET /trunks/{id}/get_subports</c>.</summary>
    Task<IReadOnlyList<SubPort>> GetSubportsAsync(string trunkId, CancellationToken cancellationToken = default);

    // ---- Networks ----

    Task<Network> CreateNetworkAsync(NetworkCreate network, CancellationToken cancellationToken = default);

    Task<Network> GetNetworkAsync(string networkId, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Network> ListNetworksAsync(NetworkFilter? filter = null, CancellationToken cancellationToken = default);

    Task<bool> DeleteNetworkAsync(string networkId, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /networks/{id}/tags</c>: replaces all tags (Neutron takes no tags in a network POST).</summary>
    Task<IReadOnlyList<string>> SetNetworkTagsAsync(string networkId, IReadOnlyList<string> tags, CancellationToken cancellationToken = default);

    // ---- Subnets ----

    Task<Subnet> CreateSubnetAsync(SubnetCreate subnet, CancellationToken cancellationToken = default);

    Task<Subnet> GetSubnetAsync(string subnetId, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Subnet> ListSubnetsAsync(SubnetFilter? filter = null, CancellationToken cancellationToken = default);

    Task<bool> DeleteSubnetAsync(string subnetId, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /subnets/{id}/tags</c>: replaces all tags.</summary>
    Task<IReadOnlyList<string>> SetSubnetTagsAsync(string subnetId, IReadOnlyList<string> tags, CancellationToken cancellationToken = default);

    // ---- Subnet pools ----

    Task<SubnetPool> CreateSubnetPoolAsync(SubnetPoolCreate subnetPool, CancellationToken cancellationToken = default);

    Task<SubnetPool> GetSubnetPoolAsync(string subnetPoolId, CancellationToken cancellationToken = default);

    IAsyncEnumerable<SubnetPool> ListSubnetPoolsAsync(SubnetPoolFilter? filter = null, CancellationToken cancellationToken = default);

    Task<bool> DeleteSubnetPoolAsync(string subnetPoolId, CancellationToken cancellationToken = default);

    // ---- Security groups ----

    Task<SecurityGroup> CreateSecurityGroupAsync(SecurityGroupCreate securityGroup, CancellationToken cancellationToken = default);

    Task<SecurityGroup> GetSecurityGroupAsync(string securityGroupId, CancellationToken cancellationToken = default);

    IAsyncEnumerable<SecurityGroup> ListSecurityGroupsAsync(SecurityGroupFilter? filter = null, CancellationToken cancellationToken = default);

    Task<bool> DeleteSecurityGroupAsync(string securityGroupId, CancellationToken cancellationToken = default);

    Task<SecurityGroupRule> CreateSecurityGroupRuleAsync(SecurityGroupRuleCreate rule, CancellationToken cancellationToken = default);

    Task<bool> DeleteSecurityGroupRuleAsync(string ruleId, CancellationToken cancellationToken = default);

    // ---- Routers ----

    Task<Router> CreateRouterAsync(RouterCreate router, CancellationToken cancellationToken = default);

    Task<Router> GetRouterAsync(string routerId, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Router> ListRoutersAsync(RouterFilter? filter = null, CancellationToken cancellationToken = default);

    Task<bool> DeleteRouterAsync(string routerId, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /routers/{id}/add_router_interface</c> by subnet (not retried).</summary>
    Task<RouterInterface> AddRouterInterfaceAsync(string routerId, string subnetId, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /routers/{id}/remove_router_interface</c> by subnet (not retried).</summary>
    Task<RouterInterface> RemoveRouterInterfaceAsync(string routerId, string subnetId, CancellationToken cancellationToken = default);

    // ---- Extensions, quotas ----

    /// <summary><c>GET /extensions</c>, fresh (also refreshes the cache <see cref="HasExtensionAsync"/> reads).</summary>
    Task<IReadOnlyList<Extension>> ListExtensionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether Neutron loaded the extension <paramref name="extensionAlias"/>; the list is fetched
    /// once and cached for the client's lifetime.</summary>
    Task<bool> HasExtensionAsync(string extensionAlias, CancellationToken cancellationToken = default);

    /// <summary><c>GET /quotas/{project}/details.json</c>: used, limit, reserved per resource.</summary>
    Task<QuotaDetails> GetQuotaDetailsAsync(string projectId, CancellationToken cancellationToken = default);
}
