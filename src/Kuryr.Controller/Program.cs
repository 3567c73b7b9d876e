using System.CommandLine;
using Kuryr.Config;
using Kuryr.Controller.Hosting;

// kuryr-controller --config-file /etc/kuryr/kuryr.conf
var configFile = new Option<string>("--config-file")
{
    Description = "Path of kuryr.conf",
    DefaultValueFactory = _ => KuryrConfig.DefaultPath,
};
var root = new RootCommand("kuryr-controller: turns pods into networked pods using Neutron port pools (leader-elected).")
{
    configFile,
};
root.SetAction((parse, cancellationToken) => ControllerProgram.RunAsync(parse.GetValue(configFile)!, cancellationToken));
// SIGTERM/SIGINT cancel the token; the host then drains the workers and releases the Lease.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(40) });
