using System.Net;

namespace Kuryr.Agent.Binding;

/// <summary>
/// Node facts the binding drivers need that are not in kuryr.conf. The agent host sets
/// <see cref="NodeAddress"/> to the node's kubelet address (the Node's InternalIP), which the nested
/// drivers use to find the VM's trunk parent interface when <c>[binding] link_iface</c> is empty.
/// </summary>
public sealed class VifPluggerOptions
{
    /// <summary>The node's kubelet address; null when unknown.</summary>
    public IPAddress? NodeAddress { get; set; }

    /// <summary>OVS Interface <c>external_ids:vm-uuid</c>: true (default) writes the pod UID; false writes Kuryr's literal <c>kuryr</c>.</summary>
    public bool PodUidAsVmUuid { get; set; } = true;
}
