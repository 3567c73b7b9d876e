using System.CommandLine;
using Kuryr.Agent.Hosting;
using Kuryr.Config;

// kuryr-agent --config-file /etc/kuryr/kuryr.conf
var configFile = new Option<string>("--config-file")
{
    Description = "Path of kuryr.conf",
    DefaultValueFactory = _ => KuryrConfig.DefaultPath,
};
var root = new RootCommand("kuryr-agent: plugs pod VIFs into network namespaces and serves kuryr-cni on a unix socket.")
{
    configFile,
};
root.SetAction((parse, cancellationToken) => AgentProgram.RunAsync(parse.GetValue(configFile)!, null, cancellationToken));
// SIGTERM/SIGINT cancel the token; the host stops the CNI server (in-flight requests finish) and the watch.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
