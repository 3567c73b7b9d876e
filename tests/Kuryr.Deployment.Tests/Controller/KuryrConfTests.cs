using Kuryr.Config;
using Kuryr.Config.Options;
using Kuryr.Deployment.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuryr.Deployment.Tests.Controller;

/// <summary>
/// The kuryr.conf of controller/configmap.yaml, with the Secret's KURYR_* variables, loads with the real
/// config loader for both components, and the manifests agree with it (ports, socket, Lease name).
/// </summary>
public sealed class KuryrConfTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuryr-deploy-conf").FullName;

    private string ConfFile()
    {
        var path = Path.Combine(_dir, "kuryr.conf");
        File.WriteAllText(path, YamlManifests.Find("ConfigMap", "kuryr-config").Json["data"]!["kuryr.conf"]!.GetValue<string>());
        return path;
    }

    private static Dictionary<string, string> SecretEnv() =>
        YamlManifests.Find("Secret", "kuryr-credentials").Json["stringData"]!.AsObject()
            .ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());

    [Fact]
    public void The_configmap_loads_for_the_controller_with_the_secret_without_errors_or_warnings()
    {
        var config = KuryrConfig.Load(ConfFile(), SecretEnv(), component: KuryrComponent.Controller);
        Assert.Empty(config.Warnings);
        Assert.Equal("neutron", config.Kubernetes.VifPoolDriver);
        Assert.Equal("kuryr", config.Neutron.Username);

        // The Neutron client's own validation of the [neutron] auth combination, as the controller runs it.
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKuryrConfig(KuryrConfig.BuildConfiguration([ConfFile()], SecretEnv()), KuryrComponent.Controller);
        services.AddNeutronClient();
        using var sp = services.BuildServiceProvider();
        var neutron = sp.GetRequiredService<IOptions<NeutronOptions>>().Value;
        Assert.Equal("https://keystone.example.com:5000/v3", neutron.AuthUrl);
    }

    [Fact]
    public void The_configmap_loads_for_the_agent_with_only_the_redis_password()
    {
        var env = SecretEnv().Where(kv => kv.Key == "KURYR_REDIS__PASSWORD").ToDictionary();
        var config = KuryrConfig.Load(ConfFile(), env, component: KuryrComponent.Agent);
        Assert.Empty(config.Warnings);
        Assert.Null(config.Neutron.Password);
    }

    [Fact]
    public void The_secret_keys_are_all_kuryr_options()
    {
        // A misspelt key would silently not override anything: each must name a real [section] option.
        var known = KuryrConfig.Sections.SelectMany(s => s.Options.Select(o => ($"KURYR_{s.Name}__{o.Name}").ToUpperInvariant())).ToHashSet();
        Assert.All(SecretEnv().Keys, k => Assert.Contains(k, known));
    }

    [Fact]
    public void The_manifests_agree_with_kuryr_conf()
    {
        var config = KuryrConfig.Load(ConfFile(), SecretEnv(), component: KuryrComponent.Controller);
        var agent = YamlManifests.Find("DaemonSet", "kuryr-agent").Json["spec"]!["template"]!["spec"]!;
        var agentContainer = agent["containers"]![0]!;
        Assert.Equal((long)config.CniHealthServer.Port, agentContainer["readinessProbe"]!["httpGet"]!["port"]!.GetValue<long>());
        Assert.Equal((long)config.CniHealthServer.Port, agentContainer["livenessProbe"]!["httpGet"]!["port"]!.GetValue<long>());
        var install = agent["initContainers"]![0]!["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]?.GetValue<string>());
        Assert.Equal(config.CniDaemon.SocketPath, install["KURYR_AGENT_SOCKET"]);
        Assert.StartsWith(agentContainer["volumeMounts"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "kuryr-run")!["mountPath"]!.GetValue<string>() + "/", config.CniDaemon.SocketPath);
        Assert.StartsWith(agentContainer["volumeMounts"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "kuryr-state")!["mountPath"]!.GetValue<string>() + "/", config.CniDaemon.StatePath);
        Assert.Equal(config.CniDaemon.OvsdbConnection, "unix:" + agentContainer["volumeMounts"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "openvswitch")!["mountPath"]!.GetValue<string>() + "/db.sock");

        var controller = YamlManifests.Find("Deployment", "kuryr-controller").Json["spec"]!;
        Assert.Equal(2L, controller["replicas"]!.GetValue<long>());
        var controllerContainer = controller["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal((long)config.HealthServer.Port, controllerContainer["readinessProbe"]!["httpGet"]!["port"]!.GetValue<long>());
        Assert.Equal((long)config.HealthServer.Port, controllerContainer["livenessProbe"]!["httpGet"]!["port"]!.GetValue<long>());

        var lease = YamlManifests.Find("Role", "kuryr-controller-leader-election").Json["rules"]!.AsArray()
            .SelectMany(r => r!["resourceNames"]?.AsArray().Select(n => n!.GetValue<string>()) ?? []);
        Assert.Contains(config.Kubernetes.LeaderElectionLeaseName, lease);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
