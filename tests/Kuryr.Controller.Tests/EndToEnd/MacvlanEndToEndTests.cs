using Kuryr.Kubernetes.Models;
using Kuryr.Neutron.Errors;
using Kuryr.Neutron.Ports;
using Xunit.Abstractions;

namespace Kuryr.Controller.Tests.EndToEnd;

/// <summary>
/// nested-macvlan through the REAL kuryr-controller process (multi_pool, <c>nested-macvlan:noop</c>)
/// against the REAL kube-apiserver, neutron-server and Redis: the pod's KuryrPort gets an active
/// VIFMacvlanNested, the VM port allows the pod port's IP+MAC; deleting the pod removes both.
/// </summary>
[Collection(ControllerEndToEndTests.Collection)]
public sealed class MacvlanEndToEndTests(ITestOutputHelper output)
{
    private static bool Allows(IReadOnlyList<AllowedAddressPair> pairs, Port port) =>
        port.FixedIps.All(ip => pairs.Any(p => p.IpAddress == ip.IpAddress && string.Equals(p.MacAddress, port.MacAddress, StringComparison.OrdinalIgnoreCase)));

    [Fact]
    public async Task Pods_on_a_nested_macvlan_node_get_active_macvlan_vifs_allowed_on_the_vm_port_and_deleting_them_removes_pair_and_port()
    {
        await using var bed = await EndToEndBed.CreateAsync("ke2emv");
        var (node, vmIp, vmPortId) = await bed.CreateMacvlanNodeAsync();
        var conf = bed.Conf(mapping: "neutron-vif:neutron,nested-vlan:nested,nested-macvlan:noop");
        await bed.WaitLeadingAndReadyAsync(bed.Start(conf, "ctl-mv"));

        var names = Enumerable.Range(0, 4).Select(i => "mv-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await Task.WhenAll(names.Select(n => bed.CreatePodAsync(node, vmIp, n)));

        var kps = new Dictionary<string, KuryrPort>();
        await bed.EventuallyAsync(async () =>
        {
            kps = (await bed.KuryrPortsAsync())
                .Where(k => k.Status?.Vifs is { } v && v.TryGetValue("eth0", out var e) && e.Vif is not null && EndToEndBed.VifField(e, "active") == "true")
                .ToDictionary(k => k.Metadata.Name!);
            return names.All(kps.ContainsKey);
        }, "4 KuryrPorts with an active eth0", 90);

        var vm = await bed.Project.Admin.GetPortAsync(vmPortId);
        var ports = new List<Port>();
        foreach (var name in names)
        {
            var eth0 = kps[name].Status!.Vifs["eth0"];
            Assert.Equal("VIFMacvlanNested", eth0.Vif!["versioned_object.name"]!.ToString());
            var portId = EndToEndBed.VifField(eth0, "id");
            Assert.Equal(("tap" + portId)[..14], EndToEndBed.VifField(eth0, "vif_name"));
            var source = EndToEndBed.Sources(kps[name])["eth0"]!;
            Assert.Equal("noop", source["driver"]!.ToString());
            Assert.Equal($"{vmIp}/{bed.Project.ProjectId}/{bed.PodNetwork.Id}", source["pool"]!.ToString());
            var port = await bed.Project.Admin.GetPortAsync(portId);
            Assert.Contains(bed.ClusterTag, port.Tags);
            Assert.Equal([bed.SecurityGroupId], port.SecurityGroups);
            Assert.Equal(port.MacAddress, EndToEndBed.VifField(eth0, "address"));
            Assert.True(Allows(vm.AllowedAddressPairs, port), $"VM port {vmPortId} does not allow {portId}");
            ports.Add(port);
        }

        Assert.Equal(4, vm.AllowedAddressPairs.Count);
        var states = await bed.RedisStatesAsync();
        Assert.All(ports, p => Assert.Equal("assigned", states[p.Id].State));
        output.WriteLine($"4 macvlan pods: VM port {vmPortId} has {vm.AllowedAddressPairs.Count} pairs; PUTs on it: {bed.Proxy.Count("PUT", "/ports/" + vmPortId + "$")}");

        foreach (var name in names)
        {
            await bed.DeletePodAsync(name);
        }

        await bed.EventuallyAsync(async () => (await bed.KuryrPortsAsync()).Count == 0 && (await bed.PodsAsync()).Count == 0, "pods and KuryrPorts gone", 90);
        await bed.EventuallyAsync(async () => (await bed.Project.Admin.GetPortAsync(vmPortId)).AllowedAddressPairs.Count == 0, "the VM port's pairs removed", 30);
        foreach (var port in ports)
        {
            await Assert.ThrowsAsync<NeutronNotFoundException>(() => bed.Project.Admin.GetPortAsync(port.Id));
        }

        Assert.DoesNotContain(await bed.RedisStatesAsync(), s => ports.Any(p => p.Id == s.Key));
    }
}
