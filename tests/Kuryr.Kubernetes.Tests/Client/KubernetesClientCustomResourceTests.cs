using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Config;
using Kuryr.Kubernetes.Models;
using Kuryr.Testing.TestBed;

namespace Kuryr.Kubernetes.Tests.Client;

/// <summary>
/// KuryrPort, KuryrNetwork and NetworkAttachmentDefinition on the real API server. The CRDs are
/// built here with the CRD model (Kuryr's schema) and created unless already installed.
/// </summary>
public sealed class KubernetesClientCustomResourceTests(KubeTestBed bed) : IClassFixture<KubeTestBed>, IAsyncLifetime
{
    private IKubernetesClient _client = null!;
    private string _ns = "";

    public async Task InitializeAsync()
    {
        _ns = await bed.CreateNamespaceAsync("k8s-cr");
        _client = KubernetesClientFactory.Create(KubeConfigLoader.Load(bed.KubeConfigPath));
        await EnsureCrdAsync("openstack.org", "kuryrports", "KuryrPort", ["kp"], new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("podUid", "podNodeName"),
                    ["properties"] = new JsonObject
                    {
                        ["podUid"] = new JsonObject { ["type"] = "string" },
                        ["podNodeName"] = new JsonObject { ["type"] = "string" },
                        ["podStatic"] = new JsonObject { ["type"] = "boolean" },
                    },
                },
                ["status"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("vifs"),
                    ["properties"] = new JsonObject { ["vifs"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
                },
            },
        });
        await EnsureCrdAsync("openstack.org", "kuryrnetworks", "KuryrNetwork", ["kns"], new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("nsName", "projectId", "nsLabels"),
                    ["properties"] = new JsonObject
                    {
                        ["nsName"] = new JsonObject { ["type"] = "string" },
                        ["projectId"] = new JsonObject { ["type"] = "string" },
                        ["nsLabels"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                    },
                },
                ["status"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["netId"] = new JsonObject { ["type"] = "string" },
                        ["subnetId"] = new JsonObject { ["type"] = "string" },
                        ["subnetCIDR"] = new JsonObject { ["type"] = "string" },
                        ["routerId"] = new JsonObject { ["type"] = "string" },
                        ["populated"] = new JsonObject { ["type"] = "boolean" },
                        ["nsLabels"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                    },
                },
            },
        });
        await EnsureCrdAsync("k8s.cni.cncf.io", "network-attachment-definitions", "NetworkAttachmentDefinition", ["net-attach-def"], new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["spec"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["config"] = new JsonObject { ["type"] = "string" } } },
            },
        });
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    private async Task EnsureCrdAsync(string group, string plural, string kind, List<string> shortNames, JsonObject schema)
    {
        var name = plural + "." + group;
        var crd = new CustomResourceDefinition
        {
            Metadata = { Name = name },
            Spec = new CustomResourceDefinitionSpec
            {
                Group = group,
                Scope = "Namespaced",
                Names = new CustomResourceDefinitionNames { Plural = plural, Kind = kind, Singular = kind.ToLowerInvariant(), ShortNames = shortNames },
                Versions = [new CustomResourceDefinitionVersion { Name = "v1", Served = true, Storage = true, Schema = new CustomResourceValidation { OpenAPIV3Schema = schema } }],
            },
        };
        try
        {
            await _client.CreateAsync(KubernetesResources.CustomResourceDefinitions, crd);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
            // Installed by another test class (or part 2's installer): same kind, same schema.
        }

        for (var i = 0; i < 300; i++)
        {
            var got = await _client.GetAsync(KubernetesResources.CustomResourceDefinitions, null, name);
            if (got.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                Assert.Equal(kind, got.Status.AcceptedNames!.Kind);
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"CRD {name} never became Established");
    }

    private static JsonObject OvsVif(string portId) => new()
    {
        ["versioned_object.name"] = "VIFOpenVSwitch",
        ["versioned_object.namespace"] = "os_vif",
        ["versioned_object.version"] = "1.1",
        ["versioned_object.data"] = new JsonObject { ["id"] = portId, ["address"] = "fa:16:3e:00:00:01", ["active"] = false, ["plugin"] = "ovs" },
    };

    [Fact]
    public async Task KuryrPort_crud_json_patch_of_vifs_and_finalizer_flow()
    {
        const string F = "kuryr.openstack.org/kuryrport-finalizer";
        var kp = await _client.CreateAsync(KubernetesResources.KuryrPorts, new KuryrPort
        {
            Metadata = { Name = "pod-a", Namespace = _ns, Labels = new() { ["kuryr.openstack.org/nodeName"] = "node-1" }, Finalizers = [F] },
            Spec = new KuryrPortSpec { PodUid = "uid-a", PodNodeName = "node-1", PodStatic = false },
            Status = new KuryrPortStatus(),
        });
        Assert.Empty(kp.Status!.Vifs);

        // Kuryr's write: a JSON patch replacing /status/vifs on the main resource (no status subresource).
        var vifs = new JsonObject { ["eth0"] = new JsonObject { ["default"] = true, ["vif"] = OvsVif("port-1") } };
        var patched = await _client.PatchAsync(KubernetesResources.KuryrPorts, _ns, "pod-a",
            KubernetesPatch.Json([new JsonObject { ["op"] = "replace", ["path"] = "/status/vifs", ["value"] = vifs }]));
        Assert.True(patched.Status!.Vifs["eth0"].Default);
        Assert.Equal("port-1", (string)patched.Status.Vifs["eth0"].Vif!["versioned_object.data"]!["id"]!);

        var byNode = await _client.ListAsync(KubernetesResources.KuryrPorts, null, new ListOptions { LabelSelector = "kuryr.openstack.org/nodeName=node-1" });
        Assert.Contains(byNode.Items, k => k.Metadata.Namespace == _ns && k.Metadata.Name == "pod-a");

        // An unknown field inside the preserved vifs survives a typed read-modify-write.
        await _client.PatchAsync(KubernetesResources.KuryrPorts, _ns, "pod-a", KubernetesPatch.Merge(new JsonObject
        {
            ["status"] = new JsonObject { ["vifs"] = new JsonObject { ["eth0"] = new JsonObject { ["futureField"] = "kept" } } },
        }));
        var read = await _client.GetAsync(KubernetesResources.KuryrPorts, _ns, "pod-a");
        read.Spec!.PodStatic = true;
        var replaced = await _client.ReplaceAsync(KubernetesResources.KuryrPorts, read);
        Assert.Equal("kept", replaced.Status!.Vifs["eth0"].ExtensionData!["futureField"].GetString());
        Assert.True(replaced.Spec!.PodStatic);

        await Assert.ThrowsAsync<ArgumentException>(() => _client.PatchAsync(KubernetesResources.KuryrPorts, _ns, "pod-a",
            KubernetesPatch.StrategicMerge(new JsonObject())));

        var deleting = await _client.DeleteAsync(KubernetesResources.KuryrPorts, _ns, "pod-a");
        Assert.NotNull(deleting.Object!.Metadata.DeletionTimestamp);
        Assert.NotNull(await _client.TryGetAsync(KubernetesResources.KuryrPorts, _ns, "pod-a"));
        Assert.Null(await _client.RemoveFinalizerAsync(KubernetesResources.KuryrPorts, _ns, "pod-a", F));
        Assert.Null(await _client.TryGetAsync(KubernetesResources.KuryrPorts, _ns, "pod-a"));
    }

    [Fact]
    public async Task KuryrPort_spec_schema_is_enforced()
    {
        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => _client.CreateAsync(KubernetesResources.KuryrPorts, new KuryrPort
        {
            Metadata = { Name = "bad", Namespace = _ns },
            Spec = new KuryrPortSpec { PodNodeName = "n" },
            Status = new KuryrPortStatus(),
        }));
        Assert.True(e.IsInvalid);
        Assert.Contains("podUid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KuryrNetwork_crud_and_status_merge_patch()
    {
        var kn = await _client.CreateAsync(KubernetesResources.KuryrNetworks, new KuryrNetwork
        {
            Metadata = { Name = _ns, Namespace = _ns },
            Spec = new KuryrNetworkSpec { NsName = _ns, ProjectId = "proj-1", NsLabels = new() { ["team"] = "a" } },
        });
        Assert.Equal("a", kn.Spec!.NsLabels!["team"]);

        // Kuryr writes the status with a merge patch of {"status": {...}}.
        var patched = await _client.PatchAsync(KubernetesResources.KuryrNetworks, _ns, _ns, KubernetesPatch.Merge(new JsonObject
        {
            ["status"] = new JsonObject { ["netId"] = "net-1", ["subnetId"] = "sub-1", ["subnetCIDR"] = "10.0.0.0/24", ["routerId"] = "r-1", ["populated"] = false },
        }));
        Assert.Equal("10.0.0.0/24", patched.Status!.SubnetCIDR);
        Assert.False(patched.Status.Populated);

        patched.Status.Populated = true;
        var replaced = await _client.ReplaceAsync(KubernetesResources.KuryrNetworks, patched);
        Assert.True(replaced.Status!.Populated);
        Assert.Equal("net-1", (await _client.GetAsync(KubernetesResources.KuryrNetworks, _ns, _ns)).Status!.NetId);

        await _client.DeleteAsync(KubernetesResources.KuryrNetworks, _ns, _ns);
        Assert.Null(await _client.TryGetAsync(KubernetesResources.KuryrNetworks, _ns, _ns));
    }

    [Fact]
    public async Task NetworkAttachmentDefinition_crud()
    {
        var nad = await _client.CreateAsync(KubernetesResources.NetworkAttachmentDefinitions, new NetworkAttachmentDefinition
        {
            Metadata = { Name = "net-a", Namespace = _ns, Annotations = new() { ["openstack.org/kuryr-config"] = """{"subnetId":"sub-1"}""" } },
            Spec = new NetworkAttachmentDefinitionSpec { Config = """{"cniVersion":"0.3.1","type":"kuryr-cni"}""" },
        });
        Assert.Equal("""{"subnetId":"sub-1"}""", nad.Metadata.Annotations!["openstack.org/kuryr-config"]);
        var list = await _client.ListAsync(KubernetesResources.NetworkAttachmentDefinitions, _ns);
        Assert.Equal("""{"cniVersion":"0.3.1","type":"kuryr-cni"}""", Assert.Single(list.Items).Spec!.Config);
        await _client.DeleteAsync(KubernetesResources.NetworkAttachmentDefinitions, _ns, "net-a");
        Assert.Empty((await _client.ListAsync(KubernetesResources.NetworkAttachmentDefinitions, _ns)).Items);
    }

    [Fact]
    public async Task Generic_resource_type_reads_custom_resources_untyped()
    {
        await _client.CreateAsync(KubernetesResources.KuryrNetworks, new KuryrNetwork
        {
            Metadata = { Name = "generic", Namespace = _ns },
            Spec = new KuryrNetworkSpec { NsName = _ns, ProjectId = "p", NsLabels = [] },
        });
        var generic = KubernetesResources.Generic("openstack.org", "v1", "kuryrnetworks", "KuryrNetwork", namespaced: true);
        var obj = await _client.GetAsync(generic, _ns, "generic");
        Assert.Equal("p", obj.ExtensionData!["spec"].GetProperty("projectId").GetString());
    }
}
