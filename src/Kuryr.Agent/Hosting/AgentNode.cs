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
