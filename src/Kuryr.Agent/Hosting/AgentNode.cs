namespace Kuryr.Agent.Hosting;

/// <summary>
/// The node this agent serves. Its name comes from <c>KUBERNETES_NODE_NAME</c> (what Kuryr's
/// DaemonSet sets from <c>spec.nodeName</c>), else <c>NODE_NAME</c>, else the host name (Kuryr's
/// fallback). kuryr.conf has no option for it: the DaemonSet knows it, a config file shared by
/// every node cannot.
/// </summary>
public sealed class AgentNode
{
    /// <summary>The Node object's name (KuryrPort label <c>kuryr.openstack.org/nodeName</c>, Redis node key).</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// The node's kubelet address, from <c>HOST_IP</c> (downward API <c>status.hostIP</c>) or
    /// <c>KUBERNETES_NODE_IP</c>; the nested binding finds the VM's trunk parent interface by it
    /// (after <c>[binding] link_iface</c>). Null when neither is set or valid.
    /// </summary>
    public System.Net.IPAddress? Address { get; set; }

    /// <summary>The node address from the environment (see <see cref="Address"/>); a value that is not an IP address is an error naming the variable.</summary>
    public static System.Net.IPAddress? ResolveAddress(Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        foreach (var variable in new[] { "HOST_IP", "KUBERNETES_NODE_IP" })
        {
            if (env(variable) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return System.Net.IPAddress.TryParse(value.Trim(), out var address)
                    ? address
                    : throw new Kuryr.Config.KuryrConfigException($"environment variable {variable} = \"{value}\" is not an IP address");
            }
        }

        return null;
    }

    /// <summary>Resolves the node name from the environment (see the class summary).</summary>
    public static string ResolveName(Func<string, string?> env, string hostName)
    {
        ArgumentNullException.ThrowIfNull(env);
        foreach (var variable in new[] { "KUBERNETES_NODE_NAME", "NODE_NAME" })
        {
            if (env(variable) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }

        return hostName;
    }
}
