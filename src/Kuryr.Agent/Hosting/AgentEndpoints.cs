namespace Kuryr.Agent.Hosting;

/// <summary>Where the agent's HTTP servers listen once started (ports 0 resolved to the real ones).</summary>
public sealed class AgentEndpoints
{
    /// <summary><c>/ready</c> and <c>/alive</c> (<c>[cni_health_server] port</c>).</summary>
    public Uri? Health { get; internal set; }

    /// <summary><c>/metrics</c> (<c>[prometheus_exporter] cni_exporter_port</c>).</summary>
    public Uri? Metrics { get; internal set; }
}
