using Kuryr.Controller.Handlers.KuryrPorts;
using Kuryr.Kubernetes.Events;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron.Errors;
using Kuryr.Pools;
using Kuryr.Pools.Drivers.Common;
using Microsoft.Extensions.Logging;

namespace Kuryr.Controller.MultiVif.Common;

/// <summary>What the multi-VIF drivers share: the Warning event for an unusable annotation entry,
/// subnet lookups that tell "no such subnet" from a transient failure, and pooled VIFs.</summary>
internal sealed partial class MultiVifSupport
{
    private readonly IEventRecorder _events;
    private readonly IVifPool _pool;
    private readonly ISubnetCache _subnets;
    private readonly ILogger<MultiVifSupport> _logger;

    public MultiVifSupport(IEventRecorder events, IVifPool pool, ISubnetCache subnets, ILogger<MultiVifSupport> logger)
    {
        _events = events;
        _pool = pool;
        _subnets = subnets;
        _logger = logger;
    }

    /// <summary>A Warning event (<see cref="KuryrConstants.Reasons.InvalidNetworkAnnotation"/>) on the
    /// pod naming the annotation, the entry (when there is one) and the problem.</summary>
    public Task WarnAsync(Pod pod, string annotation, string? entry, string problem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var message = entry is null
            ? $"annotation {annotation}: {problem}; no additional interface from it, the pod keeps its default network"
            : $"annotation {annotation}, entry {AnnotationText.Shorten(entry)}: {problem}; no interface for this entry";
        LogRefused(pod.Metadata.Namespace ?? "", pod.Metadata.Name ?? "", annotation, entry ?? "", problem);
        return _events.RecordAsync(pod, EventTypes.Warning, KuryrConstants.Reasons.InvalidNetworkAnnotation, message, cancellationToken);
    }

    /// <summary>The subnet and its network; null when Neutron says the subnet does not exist
    /// (other failures throw and are retried).</summary>
    /// <summary>
    /// The entries of a pod annotation holding a JSON list of ids (<see cref="IdListParser"/>); empty
    /// when the pod has no such annotation, and empty plus a Warning event naming the annotation when
    /// it cannot be read at all.
    /// </summary>
    public async Task<IReadOnlyList<AnnotationEntry<string>>> ReadIdListAsync(Pod pod, string annotation, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        string? value = null;
        if (pod.Metadata.Annotations?.TryGetValue(annotation, out value) != true || string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        try
        {
            return IdListParser.Parse(annotation, value, what);
        }
        catch (MultiVifAnnotationException e)
        {
            await WarnAsync(pod, annotation, null, e.Problem, cancellationToken).ConfigureAwait(false);
            return [];
        }
    }

    public async Task<SubnetInfo?> TryGetSubnetAsync(string subnetId, CancellationToken cancellationToken)
    {
        try
        {
            return await _subnets.GetAsync(subnetId, cancellationToken).ConfigureAwait(false);
        }
        catch (NeutronNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A pooled VIF on <paramref name="subnet"/> for <paramref name="interfaceName"/> (same
    /// project, security groups and pool driver as eth0; idempotent per pod interface).</summary>
    public async Task<AdditionalVif> RequestPooledAsync(MultiVifContext context, string interfaceName, SubnetInfo subnet, string? network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(subnet);
        var pod = context.Pod;
        var request = new PodVifRequest(
            pod.Metadata.Namespace ?? "",
            pod.Metadata.Name ?? "",
            pod.Metadata.Uid ?? "",
            pod.Spec?.NodeName ?? "",
            pod.Status?.HostIP,
            interfaceName,
            context.Network.ProjectId,
            subnet.Subnet.Id,
            subnet.Network.Id,
            context.Network.SecurityGroups);
        var assignment = await _pool.RequestVifAsync(request, cancellationToken).ConfigureAwait(false);
        LogPooled(request.Namespace, request.PodName, interfaceName, assignment.PortId, assignment.Pool.Id);
        return new AdditionalVif(interfaceName, assignment.VifJson,
            new VifSource(VifSourceKinds.Pool, assignment.PortId, assignment.Pool.Id, assignment.Driver, Network: network));
    }

    /// <summary>True when a port of <paramref name="projectId"/> may be made on <paramref name="subnet"/>
    /// (the network is the project's own or shared).</summary>
    public static bool Usable(SubnetInfo subnet, string projectId)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        var owner = subnet.Network.ProjectId ?? subnet.Network.TenantId;
        return subnet.Network.Shared == true || owner is null || string.Equals(owner, projectId, StringComparison.Ordinal);
    }
}

/// <summary>Hands out interface names for one driver call: <c>{prefix}{first+k}</c> for the k-th VIF,
/// or the name a network selection asks for, never twice and never <c>eth0</c>.</summary>
internal sealed class InterfaceNames(MultiVifContext context)
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal) { "eth0", "lo" };

    /// <summary>How many VIFs got a name.</summary>
    public int Count { get; private set; }

    /// <summary>The next VIF's name (<paramref name="requested"/> when given), or a problem.</summary>
    public (string? Name, string? Problem) Next(string? requested)
    {
        var auto = context.InterfaceName(Count);
        var name = requested ?? auto;
        if (requested is not null && !string.Equals(requested, auto, StringComparison.Ordinal) && IsNumbered(requested))
        {
            return (null, $"interface name \"{requested}\" has the form of Kuryr's numbered interfaces ({context.InterfacePrefix}N) but this interface would be {auto}; pick another name or {auto}");
        }

        if (!_used.Add(name))
        {
            return (null, $"interface name \"{name}\" is already used by another interface of the pod");
        }

        return (name, null);
    }

    /// <summary>The name from <see cref="Next"/> was used for a VIF.</summary>
    public void Commit() => Count++;

    /// <summary>The name from <see cref="Next"/> was not used after all.</summary>
    public void Rollback(string name) => _used.Remove(name);

    private bool IsNumbered(string name) =>
        name.Length > context.InterfacePrefix.Length
        && name.StartsWith(context.InterfacePrefix, StringComparison.Ordinal)
        && name.AsSpan(context.InterfacePrefix.Length).ContainsAnyExceptInRange('0', '9') == false;
}
