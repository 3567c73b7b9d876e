using Kuryr.Controller.Handlers.KuryrPorts;
using Kuryr.Controller.PodNetwork;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Controller.MultiVif;

/// <summary>
/// A multi-VIF driver (<c>[kubernetes] multi_vif_drivers</c>): additional VIFs of a pod beyond
/// <c>eth0</c>. The KuryrPort handler asks each enabled driver in order and numbers the interfaces
/// across drivers (<c>eth1</c>, <c>eth2</c>, ...). Must be idempotent: the handler may call it again
/// for the same pod after a failure or a restart (pool takes are idempotent per owner; ports created
/// for the pod must be found again, not created twice).
/// </summary>
public interface IMultiVifDriver
{
    /// <summary>Kuryr's name in <c>multi_vif_drivers</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The pod's additional VIFs. A malformed annotation (or a NAD/subnet/port it names that cannot be
    /// used) records a Warning event on the pod naming the annotation and the problem
    /// (<see cref="KuryrConstants.Reasons.InvalidNetworkAnnotation"/>) and yields no VIF for it: the
    /// pod keeps its default network. Transient failures throw (the handler retries).
    /// </summary>
    Task<IReadOnlyList<AdditionalVif>> RequestAdditionalVifsAsync(MultiVifContext context, CancellationToken cancellationToken);
}

/// <summary>What a multi-VIF driver gets to work with.</summary>
/// <param name="Pod">The pod (annotations, node, host IP).</param>
/// <param name="Network">The default VIF's project, subnet and security groups (additional VIFs use the same project and SGs).</param>
/// <param name="FirstInterfaceIndex">The number of the first interface this driver names (<c>eth{FirstInterfaceIndex}</c>).</param>
/// <param name="InterfacePrefix"><c>[kubernetes] additional_ifname_prefix</c>.</param>
public sealed record MultiVifContext(Pod Pod, PodNetworkInfo Network, int FirstInterfaceIndex, string InterfacePrefix)
{
    /// <summary>The name of this driver's <paramref name="offset"/>-th interface (0-based).</summary>
    public string InterfaceName(int offset) => $"{InterfacePrefix}{FirstInterfaceIndex + offset}";
}

/// <summary>One additional VIF: its interface, the os-vif JSON envelope and where it came from.</summary>
public sealed record AdditionalVif(string InterfaceName, string VifJson, VifSource Source);
