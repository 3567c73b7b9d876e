using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Kuryr.Agent.Binding;
using Kuryr.Config.Options;
using Kuryr.Netlink;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl;
using Kuryr.Ovs.Ovsdb;
using Kuryr.Testing.TestBed;
using Kuryr.Vifs.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Agent.Tests.Binding;

/// <summary>
/// A real VifPlugger (AddKuryrBinding) on the real kernel and the test bed's ovsdb-server/vswitchd.
/// Every namespace is kn-bind-*, every port id random; DisposeAsync unplugs and deletes all of it.
/// </summary>
public sealed class BindingHarness : IAsyncDisposable
{
    private readonly List<string> _namespaces = [];
    private readonly List<string> _hostLinks = [];
    private readonly List<string> _ovsPorts = [];
    private readonly ServiceProvider _provider;

    private BindingHarness(ServiceProvider provider, IReadOnlyDictionary<string, string> env, RecordingNetlinkFactory recorder, INetnsRunner runner)
    {
        _provider = provider;
        Env = env;
        Recorder = recorder;
        Runner = runner;
        Plugger = provider.GetRequiredService<IVifPlugger>();
    }

    public IReadOnlyDictionary<string, string> Env { get; }

    public IVifPlugger Plugger { get; }

    public INetnsRunner Runner { get; }

    public RecordingNetlinkFactory Recorder { get; }

    public IRtNetlinkFactory Netlink => Recorder;

    public string Bridge => Env["OVS_BRIDGE"];

    public static async Task<BindingHarness> CreateAsync(string linkIface = "", int networkDeviceMtu = 0)
    {
        var env = await TestBedEnvironment.EnsureAsync("ovs");
        var (runner, factory) = NetlinkServiceCollectionExtensions.CreateStandalone(runnerThreads: 4);
        var recorder = new RecordingNetlinkFactory(factory);
        var services = new ServiceCollection();
        services.AddSingleton(runner);
        services.AddSingleton<IRtNetlinkFactory>(recorder);
        services.Configure<NeutronDefaultsOptions>(o =>
        {
            o.OvsBridge = env["OVS_BRIDGE"];
            o.NetworkDeviceMtu = networkDeviceMtu;
        });
        services.Configure<BindingOptions>(o => o.LinkIface = linkIface);
        services.Configure<OvsdbOptions>(o => o.Connection = env["OVS_DB"]);
        services.AddKuryrBinding();
        return new BindingHarness(services.BuildServiceProvider(), env, recorder, runner);
    }

    public static string Hex(int n) => Guid.NewGuid().ToString("N")[..n];

    public async Task<string> NewNamespaceAsync()
    {
        string name = "kn-bind-" + Hex(8);
        lock (_namespaces)
        {
            _namespaces.Add(name);
        }

        using var ns = await Runner.CreateNamedAsync(name);
        return name;
    }

    public static string NetnsPath(string name) => "/var/run/netns/" + name;

    public void TrackHostLink(string name)
    {
        lock (_hostLinks)
        {
            _hostLinks.Add(name);
        }
    }

    public void TrackOvsPort(string name)
    {
        lock (_ovsPorts)
        {
            _ovsPorts.Add(name);
        }
    }

    /// <summary>A VIF of the given class with one subnet, one fixed IP, a gateway and a host route.</summary>
    public T Vif<T>(string ip, string cidr, string gateway, int mtu = 1450, string? hostRoute = "192.168.250.0/24")
        where T : VifBase, new()
    {
        string portId = Guid.NewGuid().ToString();
        var vif = new T
        {
            Id = portId,
            Address = "fa:16:3e:" + string.Join(':', Enumerable.Range(0, 3).Select(_ => Random.Shared.Next(0, 256).ToString("x2", CultureInfo.InvariantCulture))),
            Plugin = "ovs",
            Active = true,
            Network = new VifNetwork { Id = Guid.NewGuid().ToString(), Mtu = mtu, Bridge = Bridge }.WithOsVifDefaults(),
        };
        var subnet = new VifSubnet
        {
            Cidr = cidr,
            Gateway = gateway,
            Ips = new OvoList<VifFixedIp>(VifFixedIp.ListName, [new VifFixedIp { Address = ip }]),
            Routes = new OvoList<VifRoute>(VifRoute.ListName, hostRoute is null ? [] : [new VifRoute { Cidr = hostRoute, Gateway = gateway }]),
        };
        vif.Network.Subnets!.Items.Add(subnet);
        string tap = Kuryr.Vifs.VifNames.Tap(portId);
        vif.VifName = tap;
        TrackHostLink(tap);
        TrackOvsPort(tap);
        foreach (var prefix in new[] { "qvb", "qvo", "qbr" })
        {
            string n = (prefix + portId)[..14];
            TrackHostLink(n);
            TrackOvsPort(n);
        }

        return vif;
    }

    public static PlugRequest Request(string netns, params VifBase[] vifs)
        => new(Hex(12), NetnsPath(netns), "eth0", "default", "pod-" + netns, Guid.NewGuid().ToString(),
            [.. vifs.Select((v, i) => new PodVif(i == 0 ? "eth0" : "eth" + i.ToString(CultureInfo.InvariantCulture), i == 0, v))]);

    public static UnplugRequest Unplug(PlugRequest r) => new(r.ContainerId, r.NetnsPath, r.DefaultInterfaceName, r.Vifs);

    public Task<string> VsctlAsync(params string[] args) => RunAsync("ovs-vsctl", ["--db=" + Env["OVS_DB"], "--timeout=20", .. args]);

    public Task<string> OfctlAsync(params string[] args) => RunAsync("ovs-ofctl", [args[0], $"unix:{Env["OVS_RUNDIR"]}/{Bridge}.mgmt", .. args[1..]]);

    public static async Task<JsonElement> IpJsonAsync(params string[] args)
    {
        string json = await RunAsync("ip", ["-j", .. args]);
        using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        return doc.RootElement.Clone();
    }

    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var (code, stdout, stderr) = await TryRunAsync(file, args);
        return code == 0 ? stdout : throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}: {stderr}");
    }

    public static async Task<(int Code, string Stdout, string Stderr)> TryRunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var port in _ovsPorts.Distinct())
        {
            await TryRunAsync("ovs-vsctl", "--db=" + Env["OVS_DB"], "--timeout=20", "--if-exists", "del-port", port);
        }

        foreach (var link in _hostLinks.Distinct())
        {
            if (File.Exists("/sys/class/net/" + link + "/ifindex"))
            {
                await TryRunAsync("ip", "link", "del", link);
            }
        }

        foreach (var ns in _namespaces)
        {
            try
            {
                Runner.DeleteNamed(ns);
            }
            catch (NetworkNamespaceException)
            {
                // already gone
            }
        }

        await _provider.DisposeAsync();
    }
}

/// <summary>Records every host-side netlink call (name and arguments) and passes it to the real kernel.</summary>
public sealed class RecordingNetlinkFactory(IRtNetlinkFactory inner) : IRtNetlinkFactory
{
    public List<(string Method, object?[] Args)> HostCalls { get; } = [];

    public async Task<IRtNetlink> OpenHostAsync(CancellationToken cancellationToken = default)
    {
        var real = await inner.OpenHostAsync(cancellationToken);
        var proxy = DispatchProxy.Create<IRtNetlink, RecordingProxy>();
        ((RecordingProxy)(object)proxy).Init(real, this);
        return proxy;
    }

    public Task<IRtNetlink> OpenAsync(NetworkNamespace target, CancellationToken cancellationToken = default) => inner.OpenAsync(target, cancellationToken);

    public class RecordingProxy : DispatchProxy
    {
        private IRtNetlink _real = null!;
        private RecordingNetlinkFactory _owner = null!;

        internal void Init(IRtNetlink real, RecordingNetlinkFactory owner)
        {
            _real = real;
            _owner = owner;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            lock (_owner.HostCalls)
            {
                _owner.HostCalls.Add((targetMethod!.Name, args ?? []));
            }

            try
            {
                return targetMethod.Invoke(_real, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
