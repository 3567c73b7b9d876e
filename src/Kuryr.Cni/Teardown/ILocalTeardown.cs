using Kuryr.Cni.Spec.Config;
using Kuryr.Cni.Spec.Invocation;

namespace Kuryr.Cni.Teardown;

/// <summary>
/// What a DEL does when the agent cannot be reached: remove what can be removed on this node without
/// the agent's state, then report success (DESIGN.md §1: a DEL while the agent is down still tears
/// down what it can locally; the agent reconciles the rest when it is back — its KuryrPort watch
/// sees the pod gone). The implementation (<see cref="NetlinkLocalTeardown"/>) deletes
/// <see cref="CniInvocation.IfName"/> inside <see cref="CniInvocation.Netns"/> if that netns still
/// exists (through the netlink library, no <c>ip</c> binary), and nothing else — host-side OVS ports
/// and VLAN ids are the agent's.
/// </summary>
public interface ILocalTeardown
{
    /// <summary>Does what it can; never throws. Returns what it did, for the log.</summary>
    Task<string> TearDownAsync(CniInvocation invocation, NetworkConfig config, CancellationToken cancellationToken);
}
