using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Crds;
using Kuryr.Kubernetes.Models;
using Kuryr.Kubernetes.Tests.Informers;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kuryr.Kubernetes.Tests.Crds;

/// <summary>The installer against the real kube-apiserver of the test bed.</summary>
public class CrdInstallerTests(KubeTestBed bed) : IClassFixture<KubeTestBed>
{
    private static ServiceProvider Services(IKubernetesClient client) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(client)
            .AddKuryrCrdInstaller()
            .BuildServiceProvider();

    [Fact]
    public async Task Installing_twice_changes_nothing_the_second_time()
    {
        using var client = KubeClients.Create(bed);
        await using var sp = Services(client);
        var installer = sp.GetRequiredService<ICrdInstaller>();

        var first = await installer.EnsureInstalledAsync();
        Assert.Equal(CrdManifests.All().Select(c => c.Metadata.Name), first.Select(r => r.Name));

        var before = await ResourceVersionsAsync(client);
        var second = await installer.EnsureInstalledAsync();
        Assert.All(second, r => Assert.Equal(CrdInstallAction.Unchanged, r.Action));
        Assert.Equal(before, await ResourceVersionsAsync(client));

        foreach (var name in first.Select(r => r.Name))
        {
            var crd = await client.GetAsync(KubernetesResources.CustomResourceDefinitions, null, name);
            Assert.Contains(crd.Status!.Conditions!, c => c.Type == "Established" && c.Status == "True");
        }
    }

    [Fact]
    public async Task A_CRD_whose_spec_drifted_is_put_back()
    {
        using var client = KubeClients.Create(bed);
        await using var sp = Services(client);
        var installer = sp.GetRequiredService<ICrdInstaller>();
        await installer.EnsureInstalledAsync();

        // Drift harmlessly: a printer column description (validation is untouched for other tests).
        var crds = KubernetesResources.CustomResourceDefinitions;
        var crd = await client.GetAsync(crds, null, CrdManifests.KuryrNetworks);
        crd.Spec!.Versions[0].AdditionalPrinterColumns![0]!["description"] = "drifted by a test";
        await client.ReplaceAsync(crds, crd);

        var results = await installer.EnsureInstalledAsync();
        var kns = Assert.Single(results, r => r.Name == CrdManifests.KuryrNetworks);
        Assert.Equal(CrdInstallAction.Updated, kns.Action);
        Assert.Contains("additionalPrinterColumns", kns.Difference, StringComparison.Ordinal);

        var back = await client.GetAsync(crds, null, CrdManifests.KuryrNetworks);
        Assert.Equal("The subnet CIDR allocated to the namespace", back.Spec!.Versions[0].AdditionalPrinterColumns![0]!["description"]!.GetValue<string>());
        Assert.All(await installer.EnsureInstalledAsync(), r => Assert.Equal(CrdInstallAction.Unchanged, r.Action));
    }

    [Fact]
    public async Task A_KuryrPort_round_trips_with_its_vifs()
    {
        using var client = KubeClients.Create(bed);
        await using var sp = Services(client);
        await sp.GetRequiredService<ICrdInstaller>().EnsureInstalledAsync();
        var ns = await bed.CreateNamespaceAsync("kp-roundtrip");

        var vif = JsonNode.Parse("""
            {"versioned_object.name":"VIFOpenVSwitch","versioned_object.namespace":"os_vif","versioned_object.version":"1.0",
             "versioned_object.data":{"id":"c0ffee00-0000-4000-8000-000000000001","address":"fa:16:3e:00:00:01","active":false,"vif_name":"tapc0ffee00-00"}}
            """)!.AsObject();
        var created = await client.CreateAsync(KubernetesResources.KuryrPorts, new KuryrPort
        {
            Metadata = new ObjectMeta
            {
                Name = "pod-a",
                Namespace = ns,
                Labels = new() { ["kuryr.openstack.org/nodeName"] = "node-1" },
                Finalizers = ["kuryr.openstack.org/kuryrport-finalizer"],
            },
            Spec = new KuryrPortSpec { PodUid = "uid-1", PodNodeName = "node-1", PodStatic = false },
            Status = new KuryrPortStatus { Vifs = new() { ["eth0"] = new KuryrPortVif { Default = true, Vif = vif } } },
        });

        var read = await client.GetAsync(KubernetesResources.KuryrPorts, ns, "pod-a");
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("uid-1", read.Spec!.PodUid);
        Assert.Equal("node-1", read.Spec.PodNodeName);
        Assert.False(read.Spec.PodStatic);
        var eth0 = read.Status!.Vifs["eth0"];
        Assert.True(eth0.Default);
        Assert.True(JsonNode.DeepEquals(vif, eth0.Vif), eth0.Vif?.ToJsonString());
        Assert.Equal(["kuryr.openstack.org/kuryrport-finalizer"], read.Metadata.Finalizers!);

        // No status subresource: /status is not served for KuryrPort (Kuryr writes status on the main resource).
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetStatusAsync(KubernetesResources.KuryrPorts, ns, "pod-a"));
        Assert.True(ex.IsNotFound, ex.Message);

        await client.RemoveFinalizerAsync(KubernetesResources.KuryrPorts, ns, "pod-a", "kuryr.openstack.org/kuryrport-finalizer");
        await client.DeleteAsync(KubernetesResources.KuryrPorts, ns, "pod-a");
        Assert.Null(await client.TryGetAsync(KubernetesResources.KuryrPorts, ns, "pod-a"));
    }

    [Fact]
    public async Task A_KuryrPort_without_podUid_is_refused_naming_the_field()
    {
        using var client = KubeClients.Create(bed);
        await using var sp = Services(client);
        await sp.GetRequiredService<ICrdInstaller>().EnsureInstalledAsync();
        var ns = await bed.CreateNamespaceAsync("kp-invalid");

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => client.CreateAsync(KubernetesResources.KuryrPorts, new KuryrPort
        {
            Metadata = new ObjectMeta { Name = "pod-b", Namespace = ns },
            Spec = new KuryrPortSpec { PodNodeName = "node-1" },
        }));
        Assert.True(ex.IsInvalid, ex.Message);
        Assert.Equal(422, (int)ex.StatusCode);
        Assert.Contains("spec.podUid", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Status!.Details!.Causes!, c => c.Field == "spec.podUid");
    }

    private static async Task<Dictionary<string, string?>> ResourceVersionsAsync(IKubernetesClient client)
    {
        var result = new Dictionary<string, string?>();
        foreach (var c in CrdManifests.All())
        {
            var crd = await client.GetAsync(KubernetesResources.CustomResourceDefinitions, null, c.Metadata.Name!);
            result[c.Metadata.Name!] = crd.Metadata.ResourceVersion;
        }

        return result;
    }
}
