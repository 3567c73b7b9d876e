using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Kuryr.Assignments;
using Kuryr.Controller.Handlers;
using Kuryr.Controller.Handlers.KuryrPorts;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;
using Kuryr.Pools.State;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.Tests.Handlers.Pods;

/// <summary>
/// The <c>vif</c> and <c>kuryrport</c> handlers end to end on the REAL kube-apiserver, neutron-server
/// and Redis, called directly (the pipeline is not there yet) on objects read from the API server.
/// </summary>
[Collection("kpods")]
public sealed class PodHandlersTests(PodHandlersBed bed) : IClassFixture<PodHandlersBed>
{
    private static async Task<KuryrPort> ReadKpAsync(Controller c, Pod pod) =>
        await c.Client.GetAsync(KubernetesResources.KuryrPorts, pod.Metadata.Namespace, pod.Metadata.Name!);

    private static async Task<Pod> ReadPodAsync(Controller c, Pod pod) =>
        await c.Client.GetAsync(KubernetesResources.Pods, pod.Metadata.Namespace, pod.Metadata.Name!);

    private static string Data(KuryrPortVif vif, string field) => vif.Vif!["versioned_object.data"]![field]!.ToString();

    private static bool Active(KuryrPortVif vif) => (bool)vif.Vif!["versioned_object.data"]!["active"]!;

    private async Task<int> PodPortCountAsync() => (await bed.Project.ListPortsAsync(bed.PodNetwork.Id)).Count;

    [Fact]
    public async Task Bare_metal_pod_gets_a_kuryrport_and_eth0_from_the_neutron_pool_published_to_its_node()
    {
        await using var c = new Controller(bed.Compose(waitForActivePorts: false));
        var pod = await bed.CreatePodAsync(c.Client, bed.BareMetalNode, "192.0.2.10");

        await c.Vif.OnPresentAsync(pod, CancellationToken.None);
        pod = await ReadPodAsync(c, pod);
        Assert.Contains(KuryrConstants.PodFinalizer, pod.Metadata.Finalizers!);
        var kp = await ReadKpAsync(c, pod);
        Assert.Equal(bed.BareMetalNode, kp.Metadata.Labels![KuryrConstants.KuryrPortNodeLabel]);
        Assert.Equal([KuryrConstants.KuryrPortFinalizer], kp.Metadata.Finalizers);
        var owner = Assert.Single(kp.Metadata.OwnerReferences!);
        Assert.Equal(("v1", "Pod", pod.Metadata.Name, pod.Metadata.Uid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
        Assert.Equal(pod.Metadata.Uid, kp.Spec!.PodUid);
        Assert.Equal(bed.BareMetalNode, kp.Spec.PodNodeName);
        Assert.Empty(kp.Status!.Vifs);
        var latencies = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == KuryrPortMetrics.MeterName && i.Name == "kuryr.controller.pod_vif_latency")
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, v, _, _) => { lock (latencies) { latencies.Add(v); } });
        listener.Start();

        await c.KuryrPort.OnPresentAsync(kp, CancellationToken.None);

        var latency = Assert.Single(latencies);
        Assert.InRange(latency, 0, 120);

        kp = await ReadKpAsync(c, pod);
        var eth0 = Assert.Single(kp.Status!.Vifs, v => v.Key == "eth0").Value;
        Assert.True(eth0.Default);
        Assert.Equal("VIFOpenVSwitch", eth0.Vif!["versioned_object.name"]!.ToString());
        Assert.True(Active(eth0)); // wait_for_active_ports = false
        var portId = Data(eth0, "id");
        var sources = JsonNode.Parse(kp.Metadata.Annotations![KuryrConstants.VifSourcesAnnotation])!;
        Assert.Equal("pool", sources["eth0"]!["kind"]!.ToString());
        Assert.Equal(portId, sources["eth0"]!["portId"]!.ToString());
        Assert.Equal($"{bed.BareMetalNode}/{bed.Project.ProjectId}/{bed.PodNetwork.Id}", sources["eth0"]!["pool"]!.ToString());
        Assert.Equal("neutron", sources["eth0"]!["driver"]!.ToString());

        var published = await c.Services.GetRequiredService<INodeVifReader>().GetAsync(bed.BareMetalNode, bed.Namespace, pod.Metadata.Name!);
        Assert.Equal(pod.Metadata.Uid, published!.PodUid);
        Assert.Equal(kp.Metadata.ResourceVersion, published.KuryrPortResourceVersion);
        Assert.Equal(portId, published.Vifs["eth0"]!["vif"]!["versioned_object.data"]!["id"]!.ToString());

        pod = await ReadPodAsync(c, pod);
        var status = JsonNode.Parse(pod.Metadata.Annotations![KuryrConstants.NetworkStatusAnnotation])!.AsArray();
        var entry = Assert.Single(status)!;
        Assert.Equal("kuryr", entry["name"]!.ToString());
        Assert.Equal("eth0", entry["interface"]!.ToString());
        Assert.True((bool)entry["default"]!);
        var port = await bed.Admin.GetPortAsync(portId);
        Assert.Equal(port.MacAddress, entry["mac"]!.ToString());
        Assert.Equal(port.FixedIps[0].IpAddress, entry["ips"]![0]!.ToString());
    }

    [Fact]
    public async Task OnPresent_twice_gives_one_port_and_one_kuryrport()
    {
        await using var c = new Controller(bed.Compose(waitForActivePorts: false));
        var pod = await bed.CreatePodAsync(c.Client, bed.BareMetalNode, "192.0.2.11");
        await c.Vif.OnPresentAsync(pod, CancellationToken.None);
        await c.Vif.OnPresentAsync(await ReadPodAsync(c, pod), CancellationToken.None);
        var stale = await ReadKpAsync(c, pod);

        await c.KuryrPort.OnPresentAsync(stale, CancellationToken.None);
        var first = Data((await ReadKpAsync(c, pod)).Status!.Vifs["eth0"], "id");
        var ports = await PodPortCountAsync();
        // The same stale object again (a retried event): the pool take is idempotent per owner.
        await c.KuryrPort.OnPresentAsync(stale, CancellationToken.None);
        var second = Data((await ReadKpAsync(c, pod)).Status!.Vifs["eth0"], "id");
        await c.KuryrPort.OnPresentAsync(await ReadKpAsync(c, pod), CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(ports, await PodPortCountAsync());
    }

    [Fact]
    public async Task With_wait_for_active_ports_a_bare_metal_vif_stays_inactive_and_the_handler_keeps_retrying()
    {
        // This Neutron has no L2 agent: a port never turns ACTIVE, so the VIF must stay inactive.
        await using var c = new Controller(bed.Compose(waitForActivePorts: true));
        var pod = await bed.CreatePodAsync(c.Client, bed.BareMetalNode, "192.0.2.12");
        await c.Vif.OnPresentAsync(pod, CancellationToken.None);

        await Assert.ThrowsAsync<ResourceNotReadyException>(() => c.KuryrPort.OnPresentAsync(ReadKpAsync(c, pod).Result, CancellationToken.None));
        var kp = await ReadKpAsync(c, pod);
        Assert.False(Active(kp.Status!.Vifs["eth0"]));
        Assert.NotEqual("ACTIVE", (await bed.Admin.GetPortAsync(Data(kp.Status.Vifs["eth0"], "id"))).Status);

        await Assert.ThrowsAsync<ResourceNotReadyException>(() => c.KuryrPort.OnPresentAsync(kp, CancellationToken.None));
        Assert.False(Active((await ReadKpAsync(c, pod)).Status!.Vifs["eth0"]));
        var published = await c.Services.GetRequiredService<INodeVifReader>().GetAsync(bed.BareMetalNode, bed.Namespace, pod.Metadata.Name!);
        Assert.False((bool)published!.Vifs["eth0"]!["vif"]!["versioned_object.data"]!["active"]!);
    }

    [Fact]
    public async Task Nested_pod_gets_an_active_vlan_vif_from_the_pool_of_its_vm_trunk()
    {
        await using var c = new Controller(bed.Compose(waitForActivePorts: true));
        var waiting = await bed.CreatePodAsync(c.Client, bed.VmNode, hostIp: null);
        await c.Vif.OnPresentAsync(waiting, CancellationToken.None);
        await Assert.ThrowsAsync<ResourceNotReadyException>(() => c.KuryrPort.OnPresentAsync(ReadKpAsync(c, waiting).Result, CancellationToken.None));

        var pod = await bed.CreatePodAsync(c.Client, bed.VmNode, bed.VmIp);
        await c.Vif.OnPresentAsync(pod, CancellationToken.None);
        await c.KuryrPort.OnPresentAsync(await ReadKpAsync(c, pod), CancellationToken.None);

        var kp = await ReadKpAsync(c, pod);
        var eth0 = kp.Status!.Vifs["eth0"];
        Assert.Equal("VIFVlanNested", eth0.Vif!["versioned_object.name"]!.ToString());
        Assert.True(Active(eth0)); // nested: active at once, even with wait_for_active_ports
        var sources = JsonNode.Parse(kp.Metadata.Annotations![KuryrConstants.VifSourcesAnnotation])!;
        Assert.Equal($"{bed.VmIp}/{bed.Project.ProjectId}/{bed.PodNetwork.Id}", sources["eth0"]!["pool"]!.ToString());
        Assert.Equal("nested", sources["eth0"]!["driver"]!.ToString());
        var subports = await bed.Admin.GetSubportsAsync(bed.TrunkId);
        var portId = Data(eth0, "id");
        Assert.Contains(subports, s => s.PortId == portId && s.SegmentationId == int.Parse(Data(eth0, "vlan_id")));
    }

    [Fact]
    public async Task Completed_pod_deletes_its_kuryrport_whose_finalize_makes_the_port_recyclable_without_neutron_deletes()
    {
        await using var c = new Controller(bed.Compose(waitForActivePorts: false));
        var pod = await bed.CreatePodAsync(c.Client, bed.BareMetalNode, "192.0.2.13");
        await c.Vif.OnPresentAsync(pod, CancellationToken.None);
        await c.KuryrPort.OnPresentAsync(await ReadKpAsync(c, pod), CancellationToken.None);
        var kp = await ReadKpAsync(c, pod);
        var portId = Data(kp.Status!.Vifs["eth0"], "id");
        var ports = await PodPortCountAsync();

        pod = await c.Client.PatchStatusAsync(KubernetesResources.Pods, pod.Metadata.Namespace, pod.Metadata.Name!,
            KubernetesPatch.Merge(new JsonObject { ["status"] = new JsonObject { ["phase"] = "Succeeded" } }));
        await c.Vif.OnPresentAsync(pod, CancellationToken.None);
        kp = await ReadKpAsync(c, pod);
        Assert.NotNull(kp.Metadata.DeletionTimestamp);
        await c.KuryrPort.OnFinalizeAsync(kp, CancellationToken.None);

        Assert.Null(await c.Client.TryGetAsync(KubernetesResources.KuryrPorts, pod.Metadata.Namespace, pod.Metadata.Name!));
        Assert.DoesNotContain(KuryrConstants.PodFinalizer, (await ReadPodAsync(c, pod)).Metadata.Finalizers ?? []);
        var store = c.Services.GetRequiredService<IPoolStateStore>();
        var snapshot = await store.ReadAsync(new PoolKey(bed.BareMetalNode, bed.Project.ProjectId, bed.PodNetwork.Id));
        Assert.Equal(PortState.Recyclable, snapshot.States[portId]);
        Assert.Equal(ports, await PodPortCountAsync());
        Assert.Null(await c.Services.GetRequiredService<INodeVifReader>().GetAsync(bed.BareMetalNode, bed.Namespace, pod.Metadata.Name!));
    }

    [Fact]
    public async Task Force_deleted_pod_its_kuryrport_is_deleted_and_finalize_still_releases_the_port()
    {
        await using var c = new Controller(bed.Compose(waitForActivePorts: false));
        var pod = await bed.CreatePodAsync(c.Client, bed.BareMetalNode, "192.0.2.14");
        await c.Vif.OnPresentAsync(pod, CancellationToken.None);
        await c.KuryrPort.OnPresentAsync(await ReadKpAsync(c, pod), CancellationToken.None);
        var kp = await ReadKpAsync(c, pod);
        var portId = Data(kp.Status!.Vifs["eth0"], "id");

        await PodHandlersBed.ForceDeletePodAsync(c.Client, pod);
        Assert.Null(await c.Client.TryGetAsync(KubernetesResources.Pods, pod.Metadata.Namespace, pod.Metadata.Name!));
        await c.KuryrPort.OnPresentAsync(kp, CancellationToken.None);
        kp = await ReadKpAsync(c, pod);
        Assert.NotNull(kp.Metadata.DeletionTimestamp);
        await c.KuryrPort.OnFinalizeAsync(kp, CancellationToken.None);

        Assert.Null(await c.Client.TryGetAsync(KubernetesResources.KuryrPorts, pod.Metadata.Namespace, pod.Metadata.Name!));
        var snapshot = await c.Services.GetRequiredService<IPoolStateStore>().ReadAsync(new PoolKey(bed.BareMetalNode, bed.Project.ProjectId, bed.PodNetwork.Id));
        Assert.Equal(PortState.Recyclable, snapshot.States[portId]);
    }

    [Fact]
    public async Task A_kuryrport_written_by_kuryr_without_sources_is_released_to_the_pool_derived_from_its_vif()
    {
        await using var c = new Controller(bed.Compose(waitForActivePorts: false));
        var pod = await bed.CreatePodAsync(c.Client, bed.BareMetalNode, "192.0.2.15");
        await c.Vif.OnPresentAsync(pod, CancellationToken.None);
        await c.KuryrPort.OnPresentAsync(await ReadKpAsync(c, pod), CancellationToken.None);
        var kp = await c.Client.PatchAsync(KubernetesResources.KuryrPorts, pod.Metadata.Namespace, pod.Metadata.Name!,
            KubernetesPatch.Merge(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [KuryrConstants.VifSourcesAnnotation] = null } } }));
        Assert.False(kp.Metadata.Annotations?.ContainsKey(KuryrConstants.VifSourcesAnnotation) ?? false);
        var portId = Data(kp.Status!.Vifs["eth0"], "id");

        await c.Client.DeleteAsync(KubernetesResources.Pods, pod.Metadata.Namespace, pod.Metadata.Name!, new DeleteOptions { GracePeriodSeconds = 0 });
        await c.Vif.OnFinalizeAsync(await ReadPodAsync(c, pod), CancellationToken.None);
        await c.KuryrPort.OnFinalizeAsync(await ReadKpAsync(c, pod), CancellationToken.None);

        var snapshot = await c.Services.GetRequiredService<IPoolStateStore>().ReadAsync(new PoolKey(bed.BareMetalNode, bed.Project.ProjectId, bed.PodNetwork.Id));
        Assert.Equal(PortState.Recyclable, snapshot.States[portId]);
        Assert.Null(await c.Client.TryGetAsync(KubernetesResources.Pods, pod.Metadata.Namespace, pod.Metadata.Name!));
    }

    [Fact]
    public async Task Bug_a_kuryrport_of_an_older_pod_with_the_same_name_is_not_adopted()
    {
        await using var c = new Controller(bed.Compose(waitForActivePorts: false));
        var name = KubeTestBed.UniqueName("same");
        await c.Client.CreateAsync(KubernetesResources.KuryrPorts, new KuryrPort
        {
            Metadata = new ObjectMeta { Name = name, Namespace = bed.Namespace, Finalizers = [KuryrConstants.KuryrPortFinalizer] },
            Spec = new KuryrPortSpec { PodUid = "old-uid", PodNodeName = bed.BareMetalNode },
            Status = new KuryrPortStatus(),
        });
        var pod = await bed.CreatePodAsync(c.Client, bed.BareMetalNode, "192.0.2.16", name);

        await Assert.ThrowsAsync<ResourceNotReadyException>(() => c.Vif.OnPresentAsync(pod, CancellationToken.None));
        var old = await ReadKpAsync(c, pod);
        Assert.Equal("old-uid", old.Spec!.PodUid);
        Assert.NotNull(old.Metadata.DeletionTimestamp);

        await c.KuryrPort.OnFinalizeAsync(old, CancellationToken.None);
        await c.Vif.OnPresentAsync(await ReadPodAsync(c, pod), CancellationToken.None);
        Assert.Equal(pod.Metadata.Uid, (await ReadKpAsync(c, pod)).Spec!.PodUid);
    }

    [Fact]
    public async Task Host_network_and_unscheduled_pods_are_skipped()
    {
        await using var c = new Controller(bed.Compose(waitForActivePorts: false));
        var unscheduled = await c.Client.CreateAsync(KubernetesResources.Pods, new Pod
        {
            Metadata = new ObjectMeta { Name = KubeTestBed.UniqueName("unsched"), Namespace = bed.Namespace },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
        });
        var hostNet = await c.Client.CreateAsync(KubernetesResources.Pods, new Pod
        {
            Metadata = new ObjectMeta { Name = KubeTestBed.UniqueName("hostnet"), Namespace = bed.Namespace },
            Spec = new PodSpec { NodeName = bed.BareMetalNode, HostNetwork = true, Containers = [new Container { Name = "c", Image = "busybox" }] },
        });

        await c.Vif.OnPresentAsync(unscheduled, CancellationToken.None);
        await c.Vif.OnPresentAsync(hostNet, CancellationToken.None);

        foreach (var p in new[] { unscheduled, hostNet })
        {
            Assert.Null(await c.Client.TryGetAsync(KubernetesResources.KuryrPorts, p.Metadata.Namespace, p.Metadata.Name!));
            Assert.Null((await ReadPodAsync(c, p)).Metadata.Finalizers);
        }
    }
}
