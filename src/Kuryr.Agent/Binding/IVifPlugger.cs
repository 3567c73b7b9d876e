using Kuryr.Vifs.Model;

namespace Kuryr.Agent.Binding;

/// <summary>
/// Plugs a pod's VIFs into its network namespace and takes them out again (Kuryr's binding
/// drivers, picked by VIF class: VIFOpenVSwitch → veth + OVS port, VIFBridge → veth + qbr bridge,
/// VIFVlanNested → VLAN subinterface of the VM's trunk parent, VIFMacvlanNested → macvlan), then
/// configures L3 (addresses, the default route via the subnet gateway on the default interface, the
/// subnet host routes). Never calls Neutron.
/// </summary>
public interface IVifPlugger
{
    /// <summary>
    /// Plugs every VIF of <paramref name="request"/>; leftovers of an earlier attempt are removed first, so a retry succeeds.
    /// Returns what was plugged: the pod interfaces first (in VIF order), then the host ends of veth-based plugs
    /// (empty <see cref="PluggedInterface.Sandbox"/>; name and MAC read back through netlink).
    /// </summary>
    Task<IReadOnlyList<PluggedInterface>> PlugAsync(PlugRequest request, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="PlugAsync"/> made (host-side ends, OVS ports, pod interfaces). Succeeds when it is already gone, twice in a row, and when the netns no longer exists.</summary>
    Task UnplugAsync(UnplugRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Compares the pod's interfaces, addresses, routes and OVS ports with what <paramref name="request"/> says they should be;
    /// returns the problems found (empty: all good). A pod interface's MAC is compared with
    /// <see cref="PlugRequest.ExpectedMacs"/> when given (prevResult's, which a chained plugin such as <c>tuning</c> may have changed), else with the VIF's.
    /// </summary>
    Task<IReadOnlyList<string>> CheckAsync(PlugRequest request, CancellationToken cancellationToken);
}

/// <summary>A pod's VIFs to plug.</summary>
/// <param name="ContainerId">CNI_CONTAINERID.</param>
/// <param name="NetnsPath">CNI_NETNS (a path to the pod's network namespace).</param>
/// <param name="DefaultInterfaceName">CNI_IFNAME: the name the default VIF gets inside the pod (usually eth0).</param>
/// <param name="PodNamespace">Pod namespace.</param>
/// <param name="PodName">Pod name.</param>
/// <param name="PodUid">Pod UID.</param>
/// <param name="Vifs">The KuryrPort's status.vifs in order: the default one first.</param>
/// <param name="ExpectedMacs">CHECK only: pod interface name → the MAC prevResult lists for it (null: compare with the VIFs' MACs).</param>
public sealed record PlugRequest(
    string ContainerId,
    string NetnsPath,
    string DefaultInterfaceName,
    string PodNamespace,
    string PodName,
    string PodUid,
    IReadOnlyList<PodVif> Vifs,
    IReadOnlyDictionary<string, string>? ExpectedMacs = null);

/// <summary>What to remove; <paramref name="Vifs"/> may be empty when the VIFs are no longer known (then only the interface in the netns, and host ends named after the container, are removed).</summary>
public sealed record UnplugRequest(string ContainerId, string? NetnsPath, string DefaultInterfaceName, IReadOnlyList<PodVif> Vifs);

/// <summary>One entry of status.vifs: its key (<c>eth0</c>, <c>eth1</c>, ...), whether it is the default, and the VIF.</summary>
public sealed record PodVif(string InterfaceName, bool Default, VifBase Vif);

/// <summary>An interface of a plug: its name, its MAC, and the sandbox (the netns path for a pod interface; empty for a host-side interface such as a veth's host end).</summary>
public sealed record PluggedInterface(string Name, string Mac, string Sandbox);
