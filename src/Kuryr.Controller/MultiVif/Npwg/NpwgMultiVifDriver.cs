using Kuryr.Config.Options;
using Kuryr.Controller.MultiVif.Common;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuryr.Controller.MultiVif.Npwg;

/// <summary>
/// Kuryr's <c>npwg_multiple_interfaces</c>: one additional VIF per network the pod selects in
/// <c>k8s.v1.cni.cncf.io/networks</c>. Each selection names a NetworkAttachmentDefinition whose
/// <c>openstack.org/kuryr-config</c> says the subnet and, optionally, the pod VIF driver: none →
/// a pooled port (same pool driver as eth0); <c>neutron-vif</c> → a port made for this pod
/// (<see cref="PodPorts"/>). A selection that cannot be used gets a Warning event and no VIF; the
/// others still work. docs/multi-vif.md.
/// </summary>
internal sealed partial class NpwgMultiVifDriver : IMultiVifDriver
{
    public const string DriverName = "npwg_multiple_interfaces";

    private readonly IKubernetesClient _kube;
    private readonly MultiVifSupport _support;
    private readonly PodPorts _ports;
    private readonly IOptions<NeutronDefaultsOptions> _defaults;
    private readonly ILogger<NpwgMultiVifDriver> _logger;

    public NpwgMultiVifDriver(IKubernetesClient kube, MultiVifSupport support, PodPorts ports, IOptions<NeutronDefaultsOptions> defaults, ILogger<NpwgMultiVifDriver> logger)
    {
        _kube = kube;
        _support = support;
        _ports = ports;
        _defaults = defaults;
        _logger = logger;
    }

    public string Name => DriverName;

    public async Task<IReadOnlyList<AdditionalVif>> RequestAdditionalVifsAsync(MultiVifContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pod = context.Pod;
        string? value = null;
        if (pod.Metadata.Annotations?.TryGetValue(NetworkSelectionParser.Annotation, out value) != true || string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        IReadOnlyList<Common.AnnotationEntry<NetworkSelection>> entries;
        try
        {
            entries = NetworkSelectionParser.Parse(value, pod.Metadata.Namespace ?? "");
        }
        catch (MultiVifAnnotationException e)
        {
            await _support.WarnAsync(pod, NetworkSelectionParser.Annotation, null, e.Problem, cancellationToken).ConfigureAwait(false);
            return [];
        }

        var names = new InterfaceNames(context);
        var result = new List<AdditionalVif>();
        foreach (var entry in entries)
        {
            if (entry.Value is not { } selection)
            {
                await _support.WarnAsync(pod, NetworkSelectionParser.Annotation, entry.Text, entry.Problem!, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var (config, problem) = await ReadConfigAsync(selection, cancellationToken).ConfigureAwait(false);
            if (config is null)
            {
                await _support.WarnAsync(pod, NetworkSelectionParser.Annotation, entry.Text, problem!, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var (ifname, nameProblem) = names.Next(selection.InterfaceName);
            if (ifname is null)
            {
                await _support.WarnAsync(pod, NetworkSelectionParser.Annotation, entry.Text, nameProblem!, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var vif = await RequestOneAsync(context, selection, config, ifname, cancellationToken).ConfigureAwait(false);
            if (vif.Vif is null)
            {
                names.Rollback(ifname);
                await _support.WarnAsync(pod, NetworkSelectionParser.Annotation, entry.Text, vif.Problem!, cancellationToken).ConfigureAwait(false);
                continue;
            }

            names.Commit();
            result.Add(vif.Vif);
        }

        return result;
    }

    /// <summary>The NAD's kuryr-config, or why it cannot be used. API errors other than 404 throw.</summary>
    private async Task<(NadKuryrConfig? Config, string? Problem)> ReadConfigAsync(NetworkSelection selection, CancellationToken cancellationToken)
    {
        var nad = await _kube.TryGetAsync(KubernetesResources.NetworkAttachmentDefinitions, selection.Namespace, selection.Name, cancellationToken).ConfigureAwait(false);
        if (nad is null)
        {
            return (null, $"NetworkAttachmentDefinition {selection.QualifiedName} does not exist");
        }

        if (nad.Metadata.Annotations?.TryGetValue(NadKuryrConfig.Annotation, out var raw) != true)
        {
            return (null, $"NetworkAttachmentDefinition {selection.QualifiedName} has no {NadKuryrConfig.Annotation} annotation");
        }

        try
        {
            return (NadKuryrConfig.Parse(raw), null);
        }
        catch (MultiVifAnnotationException e)
        {
            return (null, $"NetworkAttachmentDefinition {selection.QualifiedName}: {e.Message}");
        }
    }

    private async Task<(AdditionalVif? Vif, string? Problem)> RequestOneAsync(
        MultiVifContext context, NetworkSelection selection, NadKuryrConfig config, string ifname, CancellationToken cancellationToken)
    {
        var defaults = _defaults.Value;
        string? subnetId = config.SubnetId;
        if (subnetId is null && config.DriverType is { } type && defaults.SubnetMapping.TryGetValue(type, out var mapped) && !string.IsNullOrWhiteSpace(mapped))
        {
            subnetId = mapped;
        }

        subnetId ??= string.IsNullOrWhiteSpace(defaults.PodSubnet) ? context.Network.SubnetId : defaults.PodSubnet;
        switch (config.DriverType)
        {
            case null:
            case KuryrDrivers.NeutronVif:
            case KuryrDrivers.NestedVlan:
                break;
            case "sriov":
                return (null, $"NetworkAttachmentDefinition {selection.QualifiedName}: driverType sriov (SR-IOV) is not supported by Kuryr.Node");
            default:
                return (null, $"NetworkAttachmentDefinition {selection.QualifiedName}: driverType {config.DriverType} is not supported by Kuryr.Node's {DriverName} driver (supported: none for a pooled port, {KuryrDrivers.NeutronVif}, {KuryrDrivers.NestedVlan})");
        }

        var subnet = await _support.TryGetSubnetAsync(subnetId, cancellationToken).ConfigureAwait(false);
        if (subnet is null)
        {
            return (null, $"NetworkAttachmentDefinition {selection.QualifiedName}: subnet {subnetId} does not exist in Neutron");
        }

        if (!MultiVifSupport.Usable(subnet, context.Network.ProjectId))
        {
            return (null, $"NetworkAttachmentDefinition {selection.QualifiedName}: subnet {subnetId} is on network {subnet.Network.Id} of another project and not shared");
        }

        LogSelected(context.Pod.Metadata.Namespace ?? "", context.Pod.Metadata.Name ?? "", ifname, selection.QualifiedName, subnet.Subnet.Id, config.DriverType ?? "pool");
        var vif = config.DriverType switch
        {
            null => await _support.RequestPooledAsync(context, ifname, subnet, selection.QualifiedName, cancellationToken).ConfigureAwait(false),
            KuryrDrivers.NestedVlan => await _ports.EnsureNestedVlanAsync(context, ifname, subnet, selection.QualifiedName, cancellationToken).ConfigureAwait(false),
            _ => await _ports.EnsureNeutronVifAsync(context, ifname, subnet, selection.QualifiedName, cancellationToken).ConfigureAwait(false),
        };
        return (vif, null);
    }
}
