using System.CommandLine;
using System.Runtime.InteropServices;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.LocalCluster.Cloud;
using Kuryr.LocalCluster.Console;
using Kuryr.LocalCluster.Kube;
using Kuryr.LocalCluster.Logging;
using Kuryr.LocalCluster.Options;
using Kuryr.LocalCluster.Processes;
using Kuryr.LocalCluster.Scenario;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Kuryr.LocalCluster;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var pods = new Option<int>("--pods") { Description = "Pods per node", DefaultValueFactory = _ => 10 };
        var poolDriver = new Option<string>("--pool-driver")
        {
            Description = "pools: vif_pool_driver multi_pool (neutron / nested pools); noop: no pools, one Neutron port per pod",
            DefaultValueFactory = _ => PoolDrivers.Pools,
        };
        var once = new Option<bool>("--once") { Description = "Print the summary, then clean up and exit (CI) instead of waiting for Ctrl-C" };
        var runDir = new Option<string>("--run-dir") { Description = "Configs, sockets, state and logs of everything started", DefaultValueFactory = _ => "/tmp/kuryr-local" };
        var testBedEnv = new Option<string>("--testbed-env") { Description = "The endpoints file written by testbed/up.sh", DefaultValueFactory = _ => "/tmp/kuryr-testbed/env" };
        var noNested = new Option<bool>("--no-nested") { Description = "Only the bare-metal node (no nested node, no veth klvm1)" };
        var repoRoot = new Option<string?>("--repo-root") { Description = "The repository whose Release builds are started (default: found above this program)" };
        var root = new RootCommand("kuryr-local-cluster: the real Kuryr.Node on one machine — OpenStack side, Kubernetes side, kuryr-controller, " +
            "one kuryr-agent per node, pods networked by the real kuryr-cni chain, pings and a summary; Ctrl-C cleans everything up.")
        {
            pods, poolDriver, once, runDir, testBedEnv, noNested, repoRoot,
        };
        root.SetAction((parse, _) => RunAsync(new LocalClusterOptions
        {
            PodsPerNode = parse.GetValue(pods),
            PoolDriver = parse.GetValue(poolDriver)!,
            Once = parse.GetValue(once),
            RunDir = parse.GetValue(runDir)!,
            TestBedEnv = parse.GetValue(testBedEnv)!,
            NoNested = parse.GetValue(noNested),
            RepoRoot = parse.GetValue(repoRoot),
        }));
        return root.Parse(args).InvokeAsync();
    }

    private static async Task<int> RunAsync(LocalClusterOptions options)
    {
        var console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = 200; // plain lines in logs and CI, not wrapped at 80
        }

        var errors = LocalClusterOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            foreach (var e in errors)
            {
                await System.Console.Error.WriteLineAsync("kuryr-local-cluster: " + e).ConfigureAwait(false);
            }

            return 2;
        }

        var repo = options.RepoRoot ?? FindRepoRoot();
        if (repo is null)
        {
            await System.Console.Error.WriteLineAsync("kuryr-local-cluster: --repo-root: the repository (Kuryr.Node.sln) is not above " + AppContext.BaseDirectory).ConfigureAwait(false);
            return 2;
        }

        TestBedEnvironment env;
        try
        {
            env = TestBedEnvironment.Load(options.TestBedEnv);
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException)
        {
            await System.Console.Error.WriteLineAsync("kuryr-local-cluster: " + e.Message).ConfigureAwait(false);
            return 2;
        }

        Directory.CreateDirectory(options.RunDir);
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

        var services = new ServiceCollection();
        services.AddLogging(b => b.ClearProviders().AddProvider(new FileLoggerProvider(Path.Combine(options.RunDir, "kuryr-local-cluster.log"))));
        services.AddNeutronClient(o =>
        {
            o.AuthType = "password";
            o.AuthUrl = env["OS_AUTH_URL"];
            o.Username = env["OS_USERNAME"];
            o.Password = env["OS_PASSWORD"];
            o.ProjectName = env["OS_PROJECT_NAME"];
            o.UserDomainId = env["OS_USER_DOMAIN_ID"];
            o.ProjectDomainId = env["OS_PROJECT_DOMAIN_ID"];
            o.RegionName = env["OS_REGION_NAME"];
            o.RequestsPerSecond = 0;
        });
        services.AddKubernetesClient(KubeConfigLoader.Load(env["KUBECONFIG"]), o => { o.Qps = 200; o.Burst = 200; });
        services.AddSingleton<OpenStackSide>();
        services.AddSingleton(sp => new KubeSide(sp.GetRequiredService<IKubernetesClient>()));
        services.AddSingleton(new ProgressOutput(console, console.Profile.Capabilities.Interactive && !System.Console.IsOutputRedirected));
        services.AddSingleton(options);
        services.AddSingleton(env);
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<LocalClusterScenario>(sp, repo));
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<LocalClusterScenario>().RunAsync(stop.Token).ConfigureAwait(false);
    }

    private static string? FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kuryr.Node.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName;
    }
}
