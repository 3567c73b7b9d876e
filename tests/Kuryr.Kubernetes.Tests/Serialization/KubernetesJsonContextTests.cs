using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Models;
using Kuryr.Kubernetes.Serialization;

namespace Kuryr.Kubernetes.Tests.Serialization;

public sealed class KubernetesJsonContextTests
{
    [Fact]
    public void Unknown_fields_at_every_level_survive_a_round_trip()
    {
        const string Json = """
            {"apiVersion":"v1","kind":"Pod","futureTop":1,
             "metadata":{"name":"p","namespace":"n","managedFields":[{"manager":"x"}]},
             "spec":{"nodeName":"node1","restartPolicy":"Never","containers":[{"name":"c","image":"i","workingDir":"/w"}]},
             "status":{"phase":"Pending","qosClass":"BestEffort","podIPs":[{"ip":"10.0.0.5"}]}}
            """;
        var pod = JsonSerializer.Deserialize(Json, KubernetesJsonContext.Default.Pod)!;
        Assert.Equal("node1", pod.Spec!.NodeName);
        Assert.Equal("10.0.0.5", pod.Status!.PodIPs![0].IP);
        var back = JsonNode.Parse(JsonSerializer.Serialize(pod, KubernetesJsonContext.Default.Pod))!;
        Assert.Equal(1, (int)back["futureTop"]!);
        Assert.Equal("x", (string)back["metadata"]!["managedFields"]![0]!["manager"]!);
        Assert.Equal("Never", (string)back["spec"]!["restartPolicy"]!);
        Assert.Equal("/w", (string)back["spec"]!["containers"]![0]!["workingDir"]!);
        Assert.Equal("BestEffort", (string)back["status"]!["qosClass"]!);
    }

    [Fact]
    public void Times_use_the_api_server_formats()
    {
        var t = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234560);
        var lease = new Lease { Spec = new LeaseSpec { AcquireTime = t, RenewTime = null } };
        lease.Metadata.CreationTimestamp = t;
        var node = JsonNode.Parse(JsonSerializer.Serialize(lease, KubernetesJsonContext.Default.Lease))!;
        Assert.Equal("2026-03-04T03:06:07.123456Z", (string)node["spec"]!["acquireTime"]!);
        Assert.Equal("2026-03-04T03:06:07Z", (string)node["metadata"]!["creationTimestamp"]!);
        Assert.False(node["spec"]!.AsObject().ContainsKey("renewTime"));

        var read = JsonSerializer.Deserialize("""{"spec":{"renewTime":"2026-03-04T03:06:07.123456Z"}}""", KubernetesJsonContext.Default.Lease)!;
        Assert.Equal(t, read.Spec!.RenewTime);
    }

    [Fact]
    public void KuryrPort_vifs_keep_the_os_vif_envelope_verbatim()
    {
        const string Json = """
            {"apiVersion":"openstack.org/v1","kind":"KuryrPort","metadata":{"name":"p"},
             "spec":{"podUid":"u","podNodeName":"n"},
             "status":{"vifs":{"eth0":{"default":true,"vif":{"versioned_object.name":"VIFOpenVSwitch","versioned_object.namespace":"os_vif",
               "versioned_object.version":"1.0","versioned_object.data":{"id":"port-1","address":"fa:16:3e:00:00:01"}}}}}}
            """;
        var kp = JsonSerializer.Deserialize(Json, KubernetesJsonContext.Default.KuryrPort)!;
        var vif = kp.Status!.Vifs["eth0"];
        Assert.True(vif.Default);
        Assert.Equal("VIFOpenVSwitch", (string)vif.Vif!["versioned_object.name"]!);
        var again = JsonNode.Parse(JsonSerializer.Serialize(kp, KubernetesJsonContext.Default.KuryrPort))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json)!["status"], again["status"]));
    }

    [Fact]
    public void Nulls_are_not_written()
    {
        var json = JsonSerializer.Serialize(new ConfigMap { Metadata = { Name = "x" } }, KubernetesJsonContext.Default.ConfigMap);
        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""", json);
    }
}
