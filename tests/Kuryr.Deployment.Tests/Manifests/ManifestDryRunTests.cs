using System.Text.Json.Nodes;
using Kuryr.Deployment.Tests.Support;
using Kuryr.Testing.TestBed;

namespace Kuryr.Deployment.Tests.Manifests;

/// <summary>
/// Every object of every manifest under cni/, daemonset/ and controller/ (the CRDs included) passes a
/// server-side dry run on the real kube-apiserver v1.20. Namespaced objects go into a fresh namespace
/// (the manifests' <c>kuryr</c> namespace is replaced, including in RBAC subjects); cluster-scoped
/// ones are dry-run as they are.
/// </summary>
public sealed class ManifestDryRunTests(KubeTestBed bed) : IClassFixture<KubeTestBed>
{
    public static TheoryData<string> Files() => [.. Repo.ManifestFiles()];

    [Fact]
    public void The_deployment_folders_hold_the_expected_manifests()
    {
        var kinds = YamlManifests.All().Select(o => o.Kind + "/" + o.Name).ToHashSet();
        string[] expected =
        [
            "Namespace/kuryr", "ServiceAccount/kuryr-agent", "ClusterRole/kuryr-agent", "ClusterRoleBinding/kuryr-agent",
            "DaemonSet/kuryr-agent", "ServiceAccount/kuryr-controller", "ClusterRole/kuryr-controller",
            "ClusterRoleBinding/kuryr-controller", "Role/kuryr-controller-leader-election", "RoleBinding/kuryr-controller-leader-election",
            "Deployment/kuryr-controller", "PodDisruptionBudget/kuryr-controller", "ConfigMap/kuryr-config", "Secret/kuryr-credentials",
            "CustomResourceDefinition/kuryrports.openstack.org", "CustomResourceDefinition/kuryrnetworks.openstack.org",
            "CustomResourceDefinition/network-attachment-definitions.k8s.cni.cncf.io",
        ];
        var missing = expected.Where(e => !kinds.Contains(e)).ToArray();
        Assert.True(missing.Length == 0, "missing: " + string.Join(", ", missing));
        Assert.All(YamlManifests.All().Where(o => o.Namespace is not null), o => Assert.Equal("kuryr", o.Namespace));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_object_passes_a_server_side_dry_run(string file)
    {
        using var api = new KubeApi(bed);
        var ns = await bed.CreateNamespaceAsync("deploy-dry");
        var objects = YamlManifests.Load(file);
        Assert.NotEmpty(objects);
        var failures = new List<string>();
        foreach (var o in objects)
        {
            var json = Retarget(o.Json, ns);
            var answer = await api.DryRunAsync(json, ns);
            if (!answer.Ok)
            {
                failures.Add($"{o}: {(int)answer.Status} {answer.Message}");
            }
            else
            {
                // The dry run really went through validation: the server echoes the object back, defaulted.
                Assert.Equal(o.Kind, answer.Json?["kind"]?.GetValue<string>());
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_broken_manifest_is_refused_naming_the_field()
    {
        // The dry run is not a rubber stamp: the DaemonSet with a probe port out of range is refused.
        using var api = new KubeApi(bed);
        var ns = await bed.CreateNamespaceAsync("deploy-dry-bad");
        var ds = Retarget(YamlManifests.Find("DaemonSet", "kuryr-agent").Json, ns);
        ds["spec"]!["template"]!["spec"]!["containers"]![0]!["readinessProbe"]!["httpGet"]!["port"] = 70000;
        var answer = await api.DryRunAsync(ds, ns);
        Assert.False(answer.Ok);
        Assert.Contains("readinessProbe.httpGet.port", answer.Message);
    }

    /// <summary>A copy with namespace <c>kuryr</c> replaced by <paramref name="ns"/> (metadata and RBAC subjects).</summary>
    internal static JsonObject Retarget(JsonObject obj, string ns)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"]?["namespace"] is not null)
        {
            copy["metadata"]!["namespace"] = ns;
        }

        if (copy["subjects"] is JsonArray subjects)
        {
            foreach (var s in subjects)
            {
                if (s?["namespace"] is not null)
                {
                    s["namespace"] = ns;
                }
            }
        }

        return copy;
    }
}
