using Kuryr.Agent.Hosting;
using Kuryr.Observability.Hosting;

// kuryr-agent --config-file /etc/kuryr/kuryr.conf
// SIGTERM/SIGINT cancel the token; the host stops the CNI server (in-flight requests finish) and the watch.
return await KuryrServiceProgram.InvokeAsync(
    "kuryr-agent: plugs pod VIFs into network namespaces and serves kuryr-cni on a unix socket.",
    args,
    (configFile, cancellationToken) => AgentProgram.RunAsync(configFile, null, cancellationToken),
    TimeSpan.FromSeconds(30));
