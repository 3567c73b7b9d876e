namespace Kuryr.Cni.Spec.Agent;

/// <summary>
/// The kuryr-cni → kuryr-agent protocol: HTTP/1.1 over the agent's unix socket (mode 0660, root),
/// JSON bodies. Every call is one request on its own connection (<c>Connection: close</c>).
/// <list type="table">
/// <item><term>POST /cni/add</term><description>200 + the CNI result in its 1.x form (kuryr-cni converts it to the config's version).</description></item>
/// <item><term>POST /cni/del</term><description>204. The agent answers 204 when the pod, VIF or netns is already gone.</description></item>
/// <item><term>POST /cni/check</term><description>204 when the interface matches <c>config.prevResult</c>.</description></item>
/// <item><term>POST /cni/gc</term><description>204 after removing attachments not in <c>config["cni.dev/valid-attachments"]</c>.</description></item>
/// <item><term>GET /cni/status</term><description>204 when the agent can serve ADDs; otherwise a CNI error with code 50 (or 51).</description></item>
/// </list>
/// Any other status carries a <see cref="Errors.CniError"/> body (<c>{code, msg, details}</c>), which
/// kuryr-cni prints as it is. The HTTP status only helps humans and metrics: 400 bad request (codes
/// 4, 6, 7), 404 unknown container (3), 410 pod gone (3), 503 try again later / not available (11, 50),
/// 500 anything else.
/// </summary>
public static class AgentProtocol
{
    /// <summary><c>[cni_daemon] socket_path</c>'s default.</summary>
    public const string DefaultSocketPath = "/run/kuryr/kuryr-agent.sock";

    public const string AddPath = "/cni/add";
    public const string DelPath = "/cni/del";
    public const string CheckPath = "/cni/check";
    public const string GcPath = "/cni/gc";
    public const string StatusPath = "/cni/status";

    /// <summary>What kuryr-cni sends as <c>User-Agent</c>.</summary>
    public const string UserAgent = "kuryr-cni";

    /// <summary>The media type of every body.</summary>
    public const string JsonMediaType = "application/json";
}
