using System.Text.Json.Nodes;
using Kuryr.Config.Options;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Kuryr.Pools;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.MultiPool;
using Kuryr.Pools.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.Handlers.KuryrPorts;

/// <summary>
/// Gives a KuryrPort's VIFs back by their <see cref="VifSource"/>, works out the source of a VIF a
/// KuryrPort written by Kuryr itself carries (no sources annotation), and asks Neutron whether a port
/// is ACTIVE. The only Neutron caller of the handler.
/// </summary>
internal sealed partial class VifReleaser(
    IVifPool pool,
    IPoolDriverSelector drivers,
    IPoolStateStore store,
    INeutronClient neutron,
    IOptions<NeutronDefaultsOptions> defaults,
    ILogger<VifReleaser> logger)
{
    /// <summary>pool → back to its pool (no Neutron call; with the <c>noop</c> pool the pod VIF
    /// driver deletes it, the one of the VIF's class, as Kuryr's <c>VIF_TYPE_TO_DRIVER_MAPPING</c>);
    /// port → detach from the trunk, delete; spec-port → clear the device_id/binding we set, never
    /// delete. Idempotent.</summary>
    public async Task ReleaseAsync(KuryrPortIdentity id, string ifname, VifSource source, CancellationToken cancellationToken, JsonObject? vif = null)
    {
        switch (source.Kind)
        {
            case VifSourceKinds.Pool:
                await pool.ReleaseVifAsync(
                    new VifRelease(PoolKey.Parse(source.Pool!), source.Driver!, source.PortId, id.Owner(ifname), vif is null ? null : VifEnvelope.PodVifDriver(vif)),
                    cancellationToken).ConfigureAwait(false);
                break;
            case VifSourceKinds.Port:
                if (!string.IsNullOrEmpty(source.TrunkId))
                {
                    try
                    {
                        await neutron.RemoveSubportsAsync(source.TrunkId, [source.PortId], cancellationToken).ConfigureAwait(false);
                    }
                    catch (NeutronException e) when (e.StatusCode == 404)
                    {
                        // The trunk, or the port on it, is gone already.
                    }
                }

                await neutron.DeletePortAsync(source.PortId, cancellationToken).ConfigureAwait(false);
                break;
            case VifSourceKinds.SpecPort:
                try
                {
                    await neutron.UpdatePortAsync(source.PortId, new PortUpdate { DeviceId = "", BindingHostId = "" }, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (NeutronException e) when (e.StatusCode == 404)
                {
                    // The operator deleted the port: nothing of ours is left on it.
                }

                break;
            default:
                throw new KuryrPortFormatException(
                    $"KuryrPort {id.Namespace}/{id.Name}: {KuryrConstants.VifSourcesAnnotation} entry \"{ifname}\" has unknown kind \"{source.Kind}\" (pool, port, spec-port)");
        }
    }

    /// <summary>
    /// The source of a VIF whose KuryrPort has no sources annotation (written by Kuryr): a pool VIF of
    /// the configured driver serving its class (VIFOpenVSwitch/VIFBridge → the neutron-vif driver, host =
    /// spec.podNodeName; nested classes → the nested driver, host = the pod's hostIP, or, for a pod that is
    /// gone, the registered pool of the same project and network that knows the port), network from the
    /// envelope, project from <c>[neutron_defaults] project</c>.
    /// </summary>
    public async Task<VifSource> DeriveAsync(KuryrPortIdentity id, string ifname, JsonObject vif, Pod? pod, CancellationToken cancellationToken)
    {
        var portId = VifEnvelope.PortId(vif, ifname);
        var network = VifEnvelope.NetworkId(vif)
            ?? throw new KuryrPortFormatException($"KuryrPort {id.Namespace}/{id.Name}: status.vifs.{ifname}.vif has no network id");
        var project = defaults.Value.Project
            ?? throw new KuryrPortFormatException("[neutron_defaults] project is not set: cannot find the pool of a KuryrPort written by Kuryr");
        var nested = VifEnvelope.IsNested(vif);
        var podVif = VifEnvelope.PodVifDriver(vif);
        var driver = drivers.Drivers.FirstOrDefault(d => d.PodVifDriver == podVif)
            ?? drivers.Drivers.FirstOrDefault(d => d.PodVifDriver.StartsWith("nested", StringComparison.Ordinal) == nested)
            ?? throw new PoolDriverException($"no configured pool driver serves {VifEnvelope.ClassName(vif)} (status.vifs.{ifname} of KuryrPort {id.Namespace}/{id.Name})");
        string host;
        if (!nested)
        {
            host = id.Node;
        }
        else if (!string.IsNullOrEmpty(pod?.Status?.HostIP))
        {
            host = pod.Status.HostIP;
        }
        else
        {
            host = await FindNestedHostAsync(project, network, portId).ConfigureAwait(false)
                ?? throw new PoolDriverException(
                    $"port {portId} of KuryrPort {id.Namespace}/{id.Name} ({ifname}) is in no registered pool of project {project}, network {network}, and the pod is gone");
        }

        var source = new VifSource(VifSourceKinds.Pool, portId, new PoolKey(host, project, network).Id, driver.Name);
        LogDerived(id.Namespace, id.Name, ifname, portId, source.Pool!, driver.Name);
        return source;
    }

    public async Task<bool> IsPortActiveAsync(string portId, CancellationToken cancellationToken)
    {
        var port = await neutron.GetPortAsync(portId, cancellationToken).ConfigureAwait(false);
        return string.Equals(port.Status, "ACTIVE", StringComparison.Ordinal);
    }

    private async Task<string?> FindNestedHostAsync(string project, string network, string portId)
    {
        foreach (var key in await store.ListPoolsAsync().ConfigureAwait(false))
        {
            if (key.ProjectId != project || key.NetworkId != network)
            {
                continue;
            }

            var snapshot = await store.ReadAsync(key).ConfigureAwait(false);
            if (snapshot.States.ContainsKey(portId))
            {
                return key.Host;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 5340, Level = LogLevel.Information,
        Message = "KuryrPort {Namespace}/{Pod} {Interface}: no source recorded (written by Kuryr); port {Port} belongs to pool {Pool} of driver {Driver}")]
    private partial void LogDerived(string @namespace, string pod, string @interface, string port, string pool, string driver);
}
