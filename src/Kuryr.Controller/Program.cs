using Kuryr.Controller.Hosting;
using Kuryr.Observability.Hosting;

// kuryr-controller --config-file /etc/kuryr/kuryr.conf
// SIGTERM/SIGINT cancel the token; the host then drains the workers and releases the Lease.
return await KuryrServiceProgram.InvokeAsync(
    "kuryr-controller: turns pods into networked pods using Neutron port pools (leader-elected).",
    args,
    ControllerProgram.RunAsync,
    TimeSpan.FromSeconds(40));
