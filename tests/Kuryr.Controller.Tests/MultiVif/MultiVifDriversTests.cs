using Kuryr.Controller.Handlers.KuryrPorts;
using Kuryr.Controller.MultiVif.Npwg;
using Kuryr.Controller.MultiVif.SpecPorts;
using Kuryr.Kubernetes.Models;
using Kuryr.Neutron.Ports;
using Kuryr.Neutron.Trunks;
using Kuryr.Vifs;

namespace Kuryr.Controller.Tests.MultiVif;

/// <summary>The multi-VIF drivers end to end on the real kube-apiserver, neutron-server and Redis.</summary>
[Collection(MultiVifBed.Collection)]
public sealed class MultiVifDriversTests(MultiVifBed bed)
{
    private static readonly Dictionary<string, string> NoAnnotations = [];

    [Fact]
    public async Task Npwg_pod_with_two_networks_gets_a_pooled_vif_and_a_created_port_and_a_second_call_returns_the_same_ports()
    {
        var pooledNad = "pooled-" + Guid.NewGuid().ToString("N")[..6];
        var portNad = "direct-" + Guid.NewGuid().ToString("N")[..6];
        await bed.CreateNadAsync(pooledNad, $$"""{"subnetId":"{{bed.Extra.Subnet.Id}}"}""");
        await bed.CreateNadAsync(portNad, $$"""{"subnetId":"{{bed.Extra2.Subnet.Id}}","driverType":"neutron-vif"}""");
        var pod = await bed.CreatePodAsync("npwg", new() { [KuryrConstants.NetworksAnnotation] = $"{pooledNad}, {bed.Namespace}/{portNad}@data1" });
        var driver = bed.Driver(NpwgMultiVifDriver.DriverName);

        var vifs = await driver.RequestAdditionalVifsAsync(bed.Context(pod), default);

        Assert.Equal(["eth1", "data1"], vifs.Select(v => v.InterfaceName));
        Assert.Equal(VifSourceKinds.Pool, vifs[0].Source.Kind);
        Assert.Equal($"{bed.Host}/{bed.Project.ProjectId}/{bed.Extra.Network.Id}", vifs[0].Source.Pool);
        Assert.Equal($"{bed.Namespace}/{pooledNad}", vifs[0].Source.Network);
        Assert.Equal(VifSourceKinds.Port, vifs[1].Source.Kind);
        Assert.Equal($"{bed.Namespace}/{portNad}", vifs[1].Source.Network);
        var port = await bed.Neutron.GetPortAsync(vifs[1].Source.PortId);
        Assert.Equal(pod.Metadata.Uid, port.DeviceId);
        Assert.Equal(PodPorts.PortName(bed.Namespace, pod.Metadata.Name!, "data1"), port.Name);
        Assert.Equal(PodPorts.DeviceOwner, port.DeviceOwner);
        Assert.Equal(bed.Host, port.BindingHostId);
        Assert.Contains("kuryr.node.cluster=" + bed.ClusterId, port.Tags);
        Assert.Equal(bed.Extra2.Network.Id, port.NetworkId);
        var vif = VifJson.Deserialize(vifs[1].VifJson);
        Assert.Equal(port.Id, vif.Id);
        Assert.Equal(port.FixedIps[0].IpAddress, vif.Network!.Subnets!.Items[0].Ips!.Items[0].Address);
        Assert.Equal(bed.Extra.Network.Id, VifJson.Deserialize(vifs[0].VifJson).Network!.Id);
        Assert.Empty(await bed.EventsAsync(pod));

        var extra2Ports = (await bed.Project.ListPortsAsync(bed.Extra2.Network.Id)).Count;
        bed.Proxy.ResetCounts();
        var again = await driver.RequestAdditionalVifsAsync(bed.Context(pod), default);

        Assert.Equal(vifs.Select(v => v.Source.PortId), again.Select(v => v.Source.PortId));
        Assert.Equal(0, bed.Proxy.Count(r => r.Method == "POST"));
        Assert.Equal(extra2Ports, (await bed.Project.ListPortsAsync(bed.Extra2.Network.Id)).Count);
    }

    [Fact]
    public async Task Bug_nested_vlan_port_created_with_device_id_could_not_be_attached_now_the_pod_port_joins_its_vm_trunk_once()
    {
        var parent = await bed.Neutron.CreatePortAsync(new PortCreate
        {
            NetworkId = bed.Workers.Network.Id,
            ProjectId = bed.Project.ProjectId,
            FixedIps = [new FixedIpRequest { SubnetId = bed.Workers.Subnet.Id }],
            Name = "vm-parent",
        });
        var trunk = await bed.Neutron.CreateTrunkAsync(new TrunkCreate { PortId = parent.Id, ProjectId = bed.Project.ProjectId });
        var nad = "vlan-" + Guid.NewGuid().ToString("N")[..6];
        await bed.CreateNadAsync(nad, $$"""{"subnetId":"{{bed.Extra2.Subnet.Id}}","driverType":"nested-vlan"}""");
        var pod = await bed.CreatePodAsync("nested", new() { [KuryrConstants.NetworksAnnotation] = nad });
        pod.Status = new PodStatus { HostIP = parent.FixedIps[0].IpAddress };
        var driver = bed.Driver(NpwgMultiVifDriver.DriverName);

        var vif = Assert.Single(await driver.RequestAdditionalVifsAsync(bed.Context(pod), default));

        Assert.Equal(new VifSource(VifSourceKinds.Port, vif.Source.PortId, Driver: "nested-vlan", TrunkId: trunk.Id, Network: $"{bed.Namespace}/{nad}"), vif.Source);
        var vlanVif = Assert.IsType<Kuryr.Vifs.Model.VifVlanNested>(VifJson.Deserialize(vif.VifJson));
        var subport = Assert.Single(await bed.Neutron.GetSubportsAsync(trunk.Id));
        Assert.Equal(vif.Source.PortId, subport.PortId);
        Assert.Equal(subport.SegmentationId, vlanVif.VlanId);
        Assert.Contains("kuryr.node.cluster=" + bed.ClusterId, (await bed.Neutron.GetPortAsync(subport.PortId)).Tags);

        var again = Assert.Single(await driver.RequestAdditionalVifsAsync(bed.Context(pod), default));

        Assert.Equal(vif.Source, again.Source);
        Assert.Equal(vif.VifJson.Length, again.VifJson.Length);
        Assert.Single(await bed.Neutron.GetSubportsAsync(trunk.Id));
        Assert.Single(await bed.Project.ListPortsAsync(bed.Extra2.Network.Id), p => p.Name == PodPorts.PortName(bed.Namespace, pod.Metadata.Name!, "eth1"));
    }

    [Fact]
    public async Task Npwg_json_form_with_a_missing_nad_still_attaches_the_valid_entry_and_records_an_event()
    {
        var nad = "ok-" + Guid.NewGuid().ToString("N")[..6];
        await bed.CreateNadAsync(nad, "{}");
        var pod = await bed.CreatePodAsync("npwgjson", new()
        {
            [KuryrConstants.NetworksAnnotation] = $$"""[{"name":"no-such-nad"},{"name":"{{nad}}","namespace":"{{bed.Namespace}}"}]""",
        });

        var vifs = await bed.Driver(NpwgMultiVifDriver.DriverName).RequestAdditionalVifsAsync(bed.Context(pod), default);

        var vif = Assert.Single(vifs);
        Assert.Equal("eth1", vif.InterfaceName);
        Assert.Equal(bed.Default.Network.Id, VifJson.Deserialize(vif.VifJson).Network!.Id); // no subnetId: [neutron_defaults] pod_subnet
        var e = Assert.Single(await bed.EventsAsync(pod));
        Assert.Equal(KuryrConstants.Reasons.InvalidNetworkAnnotation, e.Reason);
        Assert.Contains(KuryrConstants.NetworksAnnotation, e.Message, StringComparison.Ordinal);
        Assert.Contains($"NetworkAttachmentDefinition {bed.Namespace}/no-such-nad does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_network_selections_and_nads_give_one_event_each_and_no_vif()
    {
        var noConfig = "nocfg-" + Guid.NewGuid().ToString("N")[..6];
        var badConfig = "badcfg-" + Guid.NewGuid().ToString("N")[..6];
        var unknownDriver = "unk-" + Guid.NewGuid().ToString("N")[..6];
        var missingSubnet = "nosub-" + Guid.NewGuid().ToString("N")[..6];
        await bed.CreateNadAsync(noConfig, null);
        await bed.CreateNadAsync(badConfig, "{not json");
        await bed.CreateNadAsync(unknownDriver, """{"driverType":"warp-drive"}""");
        await bed.CreateNadAsync(missingSubnet, """{"subnetId":"00000000-0000-4000-8000-000000000000"}""");
        var pod = await bed.CreatePodAsync("npwgbad", new()
        {
            [KuryrConstants.NetworksAnnotation] = $"a/b/c,{noConfig},{badConfig},{unknownDriver},{missingSubnet}",
        });

        var vifs = await bed.Driver(NpwgMultiVifDriver.DriverName).RequestAdditionalVifsAsync(bed.Context(pod), default);

        Assert.Empty(vifs);
        var messages = (await bed.EventsAsync(pod)).Select(e => e.Message!).ToList();
        Assert.Equal(5, messages.Count);
        Assert.All(messages, m => Assert.StartsWith($"annotation {KuryrConstants.NetworksAnnotation}, entry ", m, StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("more than one '/'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains($"{noConfig} has no openstack.org/kuryr-config annotation", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains($"{badConfig}: annotation openstack.org/kuryr-config: is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("\"driverType\" \"warp-drive\" is unknown", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("subnet 00000000-0000-4000-8000-000000000000 does not exist in Neutron", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unparsable_annotations_of_every_driver_give_an_event_naming_the_annotation_and_no_vif()
    {
        var pod = await bed.CreatePodAsync("unparsable", new()
        {
            [KuryrConstants.NetworksAnnotation] = "[{\"name\":",
            [KuryrConstants.AdditionalSubnetsAnnotation] = "{\"subnet\":1}",
            [KuryrConstants.SpecPortsAnnotation] = "port-1",
        });

        foreach (var name in new[] { NpwgMultiVifDriver.DriverName, "additional_subnets", SpecPortsMultiVifDriver.DriverName })
        {
            Assert.Empty(await bed.Driver(name).RequestAdditionalVifsAsync(bed.Context(pod), default));
        }

        var messages = (await bed.EventsAsync(pod)).Select(e => e.Message!).ToList();
        Assert.Equal(3, messages.Count);
        Assert.Contains(messages, m => m.StartsWith($"annotation {KuryrConstants.NetworksAnnotation}: is not valid JSON", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith($"annotation {KuryrConstants.AdditionalSubnetsAnnotation}: is a JSON object, expected a JSON list of subnet ids", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith($"annotation {KuryrConstants.SpecPortsAnnotation}: is not valid JSON", StringComparison.Ordinal));
        Assert.All(messages, m => Assert.EndsWith("the pod keeps its default network", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Additional_subnets_pod_gets_one_pooled_vif_per_subnet_and_an_event_for_an_unknown_subnet()
    {
        const string Unknown = "11111111-2222-4333-8444-555555555555";
        var pod = await bed.CreatePodAsync("addsub", new()
        {
            [KuryrConstants.AdditionalSubnetsAnnotation] = $"[\"{bed.Extra.Subnet.Id}\", \"{Unknown}\", 42]",
        });
        var driver = bed.Driver("additional_subnets");

        var vifs = await driver.RequestAdditionalVifsAsync(bed.Context(pod), default);

        var vif = Assert.Single(vifs);
        Assert.Equal("eth1", vif.InterfaceName);
        Assert.Equal(VifSourceKinds.Pool, vif.Source.Kind);
        Assert.Null(vif.Source.Network);
        Assert.Equal(bed.Extra.Network.Id, VifJson.Deserialize(vif.VifJson).Network!.Id);
        var messages = (await bed.EventsAsync(pod)).Select(e => e.Message!).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.Contains($"subnet {Unknown} does not exist in Neutron", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("entry 3 (42) is a JSON number", StringComparison.Ordinal));

        var again = await driver.RequestAdditionalVifsAsync(bed.Context(pod), default);
        Assert.Equal(vif.Source.PortId, Assert.Single(again).Source.PortId);
    }

    [Fact]
    public async Task Spec_ports_pod_gets_its_normal_port_and_an_event_for_a_direct_and_a_foreign_port()
    {
        var normal = await bed.Neutron.CreatePortAsync(new PortCreate { NetworkId = bed.Extra.Network.Id, ProjectId = bed.Project.ProjectId, Name = "spec-normal" });
        var direct = await bed.Neutron.CreatePortAsync(new PortCreate { NetworkId = bed.Extra.Network.Id, ProjectId = bed.Project.ProjectId, Name = "spec-direct", BindingVnicType = "direct" });
        var taken = await bed.Neutron.CreatePortAsync(new PortCreate
        {
            NetworkId = bed.Extra.Network.Id,
            ProjectId = bed.Project.ProjectId,
            Name = "spec-taken",
            DeviceId = "some-vm",
            DeviceOwner = "compute:nova",
        });
        var pod = await bed.CreatePodAsync("spec", new()
        {
            [KuryrConstants.SpecPortsAnnotation] = $"[\"{normal.Id}\", \"{direct.Id}\", \"{taken.Id}\"]",
        });
        var driver = bed.Driver(SpecPortsMultiVifDriver.DriverName);

        var vifs = await driver.RequestAdditionalVifsAsync(bed.Context(pod), default);

        var vif = Assert.Single(vifs);
        Assert.Equal("eth1", vif.InterfaceName);
        Assert.Equal(new VifSource(VifSourceKinds.SpecPort, normal.Id, Driver: "neutron-vif"), vif.Source);
        var claimed = await bed.Neutron.GetPortAsync(normal.Id);
        Assert.Equal(pod.Metadata.Uid, claimed.DeviceId);
        Assert.Equal(SpecPortsMultiVifDriver.DeviceOwner, claimed.DeviceOwner);
        Assert.Equal(bed.Host, claimed.BindingHostId);
        Assert.Equal(normal.Id, VifJson.Deserialize(vif.VifJson).Id);
        var messages = (await bed.EventsAsync(pod)).Select(e => e.Message!).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.Contains($"port {direct.Id} has binding:vnic_type direct (SR-IOV): SR-IOV is not supported by Kuryr.Node", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains($"port {taken.Id} is in use by device some-vm", StringComparison.Ordinal));
        Assert.Equal("some-vm", (await bed.Neutron.GetPortAsync(taken.Id)).DeviceId);
        Assert.True(string.IsNullOrEmpty((await bed.Neutron.GetPortAsync(direct.Id)).DeviceId));

        // A second pod naming the claimed port is refused; the first pod's call again returns it.
        var other = await bed.CreatePodAsync("spec2", new() { [KuryrConstants.SpecPortsAnnotation] = $"[\"{normal.Id}\"]" });
        Assert.Empty(await driver.RequestAdditionalVifsAsync(bed.Context(other), default));
        Assert.Contains($"port {normal.Id} is in use by device {pod.Metadata.Uid}", Assert.Single(await bed.EventsAsync(other)).Message, StringComparison.Ordinal);
        Assert.Equal(normal.Id, Assert.Single(await driver.RequestAdditionalVifsAsync(bed.Context(pod), default)).Source.PortId);
    }

    [Fact]
    public async Task Pods_without_annotations_get_nothing_and_make_no_neutron_call()
    {
        var pod = await bed.CreatePodAsync("plain", NoAnnotations);
        bed.Proxy.ResetCounts();

        foreach (var name in new[] { NpwgMultiVifDriver.DriverName, "additional_subnets", SpecPortsMultiVifDriver.DriverName })
        {
            Assert.Empty(await bed.Driver(name).RequestAdditionalVifsAsync(bed.Context(pod), default));
        }

        Assert.Equal(0, bed.Proxy.Count(_ => true));
    }
}
