using Kuryr.Config.Options;
using Kuryr.Neutron;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Subnets;
using Kuryr.Pools.Ownership;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Handlers.KuryrNetworks;

/// <summary>
/// Kuryr's <c>namespace</c> subnets driver, the Neutron half of the <c>kuryrnetwork</c> handler:
/// one network (<c>ns/&lt;namespace&gt;-net</c>), one subnet from <c>[namespace_subnet]
/// pod_subnet_pool</c> (<c>ns/&lt;namespace&gt;-subnet</c>) and, when <c>pod_router</c> is set, one
/// router interface per namespace. Every step first looks for what an earlier, interrupted run
/// made (the network by name, project and the KuryrNetwork's uid in its description; the subnet on
/// that network; the router's port on that network), so a crash between a Neutron call and the
/// status write never leaves a second network behind. Networks and subnets carry the cluster's
/// ownership tags (<see cref="IPortOwnership.Tags"/>), set right after the create since Neutron
/// takes no tags in a network POST, and re-set when an adopted one lacks them.
/// </summary>
internal sealed partial class NamespaceSubnetDriver
{
    private readonly INeutronClient _neutron;
    private readonly IPortOwnership _ownership;
    private readonly NamespaceSubnetOptions _options;
    private readonly NeutronDefaultsOptions _defaults;
    private readonly ILogger<NamespaceSubnetDriver> _logger;

    public NamespaceSubnetDriver(
        INeutronClient neutron,
        IPortOwnership ownership,
        IOptions<NamespaceSubnetOptions> options,
        IOptions<NeutronDefaultsOptions> defaults,
        ILogger<NamespaceSubnetDriver> logger)
    {
        _neutron = neutron;
        _ownership = ownership;
        _options = options.Value;
        _defaults = defaults.Value;
        _logger = logger;
    }

    /// <summary><c>[namespace_subnet] pod_router</c>, or null when namespaces are not attached to a router.</summary>
    public string? Router => string.IsNullOrEmpty(_options.PodRouter) ? null : _options.PodRouter;

    public static string NetworkName(string ns) => "ns/" + ns + "-net";

    public static string SubnetName(string ns) => "ns/" + ns + "-subnet";

    /// <summary>What a network of this KuryrNetwork carries in its description (its uid tells a recreated namespace's network apart).</summary>
    public static string Marker(string uid) => "kuryrnetwork " + uid;

    /// <summary>The namespace's network made by an earlier run, or null.</summary>
    public async Task<Network?> FindNetworkAsync(string ns, string projectId, string uid, CancellationToken cancellationToken)
    {
        await foreach (var network in _neutron.ListNetworksAsync(new NetworkFilter { Name = NetworkName(ns), ProjectId = projectId }, cancellationToken).ConfigureAwait(false))
        {
            if (network.Description == Marker(uid))
            {
                return network;
            }
        }

        return null;
    }

    /// <summary>Step 1: the namespace's network (found again or created), tagged.</summary>
    public async Task<string> EnsureNetworkAsync(string ns, string projectId, string uid, CancellationToken cancellationToken)
    {
        var network = await FindNetworkAsync(ns, projectId, uid, cancellationToken).ConfigureAwait(false);
        if (network is null)
        {
            network = await _neutron.CreateNetworkAsync(new NetworkCreate
            {
                Name = NetworkName(ns),
                ProjectId = projectId,
                Description = Marker(uid),
                Mtu = _defaults.NetworkDeviceMtu > 0 ? _defaults.NetworkDeviceMtu : null,
            }, cancellationToken).ConfigureAwait(false);
            LogNetworkCreated(ns, network.Id);
        }
        else
        {
            LogNetworkFound(ns, network.Id);
        }

        if (!_ownership.IsOurs(network.Tags))
        {
            await _neutron.SetNetworkTagsAsync(network.Id, [.. network.Tags.Union(_ownership.Tags, StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        }

        return network.Id;
    }

    /// <summary>Step 2: the namespace's subnet from the subnet pool (found again on the network or created), tagged.</summary>
    public async Task<Subnet> EnsureSubnetAsync(string ns, string projectId, string networkId, CancellationToken cancellationToken)
    {
        var poolId = string.IsNullOrEmpty(_options.PodSubnetPool)
            ? throw new InvalidOperationException("[namespace_subnet] pod_subnet_pool is not set: the namespace subnet driver takes each namespace's subnet from it")
            : _options.PodSubnetPool;
        Subnet? subnet = null;
        await foreach (var s in _neutron.ListSubnetsAsync(new SubnetFilter { NetworkId = networkId }, cancellationToken).ConfigureAwait(false))
        {
            subnet = s;
            break;
        }

        if (subnet is null)
        {
            int ipVersion;
            try
            {
                ipVersion = (await _neutron.GetSubnetPoolAsync(poolId, cancellationToken).ConfigureAwait(false)).IpVersion;
            }
            catch (NeutronNotFoundException e)
            {
                throw new InvalidOperationException($"[namespace_subnet] pod_subnet_pool {poolId}: no such subnet pool in Neutron", e);
            }

            subnet = await _neutron.CreateSubnetAsync(new SubnetCreate
            {
                NetworkId = networkId,
                SubnetpoolId = poolId,
                IpVersion = ipVersion,
                Name = SubnetName(ns),
                ProjectId = projectId,
            }, cancellationToken).ConfigureAwait(false);
            LogSubnetCreated(ns, subnet.Id, subnet.Cidr);
        }

        if (!_ownership.IsOurs(subnet.Tags))
        {
            await _neutron.SetSubnetTagsAsync(subnet.Id, [.. subnet.Tags.Union(_ownership.Tags, StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        }

        return subnet;
    }

    /// <summary>Step 3: the subnet on <see cref="Router"/> (no-op when the router already has a port on the network).</summary>
    public async Task EnsureRouterInterfaceAsync(string ns, string routerId, string networkId, string subnetId, CancellationToken cancellationToken)
    {
        if (await HasRouterPortAsync(routerId, networkId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await _neutron.AddRouterInterfaceAsync(routerId, subnetId, cancellationToken).ConfigureAwait(false);
            LogRouterAttached(ns, routerId, subnetId);
        }
        catch (NeutronBadRequestException)
        {
            // Attached by a concurrent run between our check and our call? Otherwise a real error.
            if (!await HasRouterPortAsync(routerId, networkId, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    /// <summary>Finalize: router interface, subnet, network; each already-gone one is fine.
    /// A resource still in use (ports left on the network) is a <see cref="ResourceNotReadyException"/>.</summary>
    public async Task DeleteAsync(string ns, string? routerId, string networkId, string? subnetId, CancellationToken cancellationToken)
    {
        try
        {
            if (routerId is not null && subnetId is not null && await HasRouterPortAsync(routerId, networkId, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await _neutron.RemoveRouterInterfaceAsync(routerId, subnetId, cancellationToken).ConfigureAwait(false);
                }
                catch (NeutronNotFoundException)
                {
                    // Already detached (or the router is gone).
                }
            }

            if (subnetId is not null)
            {
                await _neutron.DeleteSubnetAsync(subnetId, cancellationToken).ConfigureAwait(false);
            }

            await _neutron.DeleteNetworkAsync(networkId, cancellationToken).ConfigureAwait(false);
            LogNetworkDeleted(ns, networkId);
        }
        catch (NeutronConflictException e)
        {
            throw new ResourceNotReadyException($"namespace {ns}: network {networkId} still in use ({e.Message})", e);
        }
    }

    private async Task<bool> HasRouterPortAsync(string routerId, string networkId, CancellationToken cancellationToken)
    {
        await foreach (var _ in _neutron.ListPortsAsync(new PortFilter { DeviceId = routerId, NetworkId = networkId, Fields = ["id"] }, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        return false;
    }

    [LoggerMessage(EventId = 5650, Level = LogLevel.Information, Message = "Namespace {Namespace}: network {NetworkId} created")]
    private partial void LogNetworkCreated(string @namespace, string networkId);

    [LoggerMessage(EventId = 5651, Level = LogLevel.Information, Message = "Namespace {Namespace}: network {NetworkId} of an earlier run found again")]
    private partial void LogNetworkFound(string @namespace, string networkId);

    [LoggerMessage(EventId = 5652, Level = LogLevel.Information, Message = "Namespace {Namespace}: subnet {SubnetId} ({Cidr}) created from the subnet pool")]
    private partial void LogSubnetCreated(string @namespace, string subnetId, string cidr);

    [LoggerMessage(EventId = 5653, Level = LogLevel.Information, Message = "Namespace {Namespace}: subnet {SubnetId} attached to router {RouterId}")]
    private partial void LogRouterAttached(string @namespace, string routerId, string subnetId);

    [LoggerMessage(EventId = 5654, Level = LogLevel.Information, Message = "Namespace {Namespace}: network {NetworkId} deleted")]
    private partial void LogNetworkDeleted(string @namespace, string networkId);
}
