using Kuryr.Vifs.Model;

namespace Kuryr.Agent.Binding.Drivers;

/// <summary>One binding driver per VIF class (Kuryr's <c>cni/binding/*</c>).</summary>
internal interface IBindingDriver
{
    /// <summary>The driver name used in logs (<c>ovs</c>, <c>ovs-hybrid</c>, <c>vlan</c>, <c>macvlan</c>).</summary>
    string Name { get; }

    bool CanHandle(VifBase vif);

    /// <summary>
    /// Removes leftovers of an earlier attempt, then creates the pod interface <see cref="VifTarget.InterfaceName"/>
    /// with the VIF's MAC and MTU, up, and the host side. Returns the pod interface's ifindex. L3 is not its job.
    /// </summary>
    Task<int> PlugAsync(BindingSession session, VifTarget target, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="PlugAsync"/> made; tolerates every part being gone and a null <see cref="BindingSession.Pod"/>.</summary>
    Task UnplugAsync(BindingSession session, VifTarget target, CancellationToken cancellationToken);

    /// <summary>Adds the host-side problems (OVS port, bridge, host end) to <paramref name="problems"/>.</summary>
    Task CheckHostSideAsync(BindingSession session, VifTarget target, List<string> problems, CancellationToken cancellationToken);
}
