using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Crds;
using Kuryr.Testing.TestBed;

namespace Kuryr.Kubernetes.Tests.Crds;

public class CrdManifestsTests
{
    [Fact]
    public void The_embedded_manifests_are_the_files_in_controller_crds()
    {
        var dir = Path.Combine(TestBedEnvironment.RepoRoot, "controller", "crds");
        var onDisk = Directory.GetFiles(dir, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(onDisk, CrdManifests.FileNames);
        foreach (var file in onDisk)
        {
            var fromDisk = CrdManifests.Parse(File.ReadAllText(Path.Combine(dir, file)), file);
            Assert.Contains(CrdManifests.All(), c => c.Metadata.Name == fromDisk.Metadata.Name);
            Assert.True(JsonNode.DeepEquals(CrdManifests.GetJson(fromDisk.Metadata.Name!), ReadJson(Path.Combine(dir, file))));
        }
    }

    [Fact]
    public void KuryrPort_has_Kuryrs_schema()
    {
        var crd = CrdManifests.Get(CrdManifests.KuryrPorts);
        var spec = crd.Spec!;
        Assert.Equal("openstack.org", spec.Group);
        Assert.Equal("Namespaced", spec.Scope);
        Assert.Equal("KuryrPort", spec.Names!.Kind);
        Assert.Equal("kuryrports", spec.Names.Plural);
        Assert.Equal(["kp"], spec.Names.ShortNames!);
        var v1 = Assert.Single(spec.Versions);
        Assert.Equal("v1", v1.Name);
        Assert.True(v1.Served && v1.Storage);
        Assert.Null(v1.Subresources);
        var schema = v1.Schema!.OpenAPIV3Schema!;
        Assert.Equal(["podUid", "podNodeName"], schema["properties"]!["spec"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("boolean", schema["properties"]!["spec"]!["properties"]!["podStatic"]!["type"]!.GetValue<string>());
        Assert.Equal(["vifs"], schema["properties"]!["status"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.True(schema["properties"]!["status"]!["properties"]!["vifs"]!["x-kubernetes-preserve-unknown-fields"]!.GetValue<bool>());
        Assert.Equal([".spec.podUid", ".spec.podNodeName", ".metadata.labels"], v1.AdditionalPrinterColumns!.Select(c => c!["jsonPath"]!.GetValue<string>()));
    }

    [Fact]
    public void KuryrNetwork_has_Kuryrs_schema()
    {
        var spec = CrdManifests.Get(CrdManifests.KuryrNetworks).Spec!;
        Assert.Equal(["kns"], spec.Names!.ShortNames!);
        Assert.Equal("Namespaced", spec.Scope);
        var schema = Assert.Single(spec.Versions).Schema!.OpenAPIV3Schema!;
        Assert.Equal(["nsName", "projectId", "nsLabels"], schema["properties"]!["spec"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        var status = schema["properties"]!["status"]!["properties"]!.AsObject();
        Assert.Equal(["netId", "populated", "routerId", "subnetCIDR", "subnetId", "nsLabels"], status.Select(p => p.Key));
        Assert.Equal("boolean", status["populated"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void NetworkAttachmentDefinition_is_the_NPWG_one()
    {
        var spec = CrdManifests.Get(CrdManifests.NetworkAttachmentDefinitions).Spec!;
        Assert.Equal("k8s.cni.cncf.io", spec.Group);
        Assert.Equal("NetworkAttachmentDefinition", spec.Names!.Kind);
        var schema = Assert.Single(spec.Versions).Schema!.OpenAPIV3Schema!;
        Assert.Equal("string", schema["properties"]!["spec"]!["properties"]!["config"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_known_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => CrdManifests.Get("nope.example.com"));
        Assert.Contains(CrdManifests.KuryrPorts, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_whose_name_does_not_match_plural_and_group_is_refused()
    {
        const string Yaml = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: wrong.example.com
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: things, kind: Thing}
              versions: [{name: v1, served: true, storage: true}]
            """;
        var ex = Assert.Throws<FormatException>(() => CrdManifests.Parse(Yaml, "bad.yaml"));
        Assert.Contains("metadata.name", ex.Message, StringComparison.Ordinal);
        Assert.Contains("things.example.com", ex.Message, StringComparison.Ordinal);
    }

    private static JsonObject ReadJson(string path) => YamlJson.ParseDocuments(File.ReadAllText(path), path).Single();
}
