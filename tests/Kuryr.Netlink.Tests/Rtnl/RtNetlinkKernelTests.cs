using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl;
using Kuryr.Netlink.Rtnl.Errors;
using Kuryr.Netlink.Rtnl.Model;
using Xunit.Abstractions;

namespace Kuryr.Netlink.Tests.Rtnl;

/// <summary>Real kernel, real namespaces: every test makes its own kn-test-* namespaces and deletes them.</summary>
public sealed class RtNetlinkKernelTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly NetnsScope _scope = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task Veth_between_two_namespaces_with_addresses_pings_both_ways_v4_and_v6()
    {
        NetworkNamespace a = await _scope.CreateAsync("a"), b = await _scope.CreateAsync("b");
        IRtNetlink na = await _scope.OpenAsync(a), nb = await _scope.OpenAsync(b);

        await na.CreateVethAsync("eth-a", "eth-b", b);
        LinkInfo ea = (await na.GetLinkAsync("eth-a"))!;
        LinkInfo eb = (await nb.GetLinkAsync("eth-b"))!;
        Assert.Equal("veth", ea.Kind);
        Assert.Equal("veth", eb.Kind);
        Assert.Null(await na.GetLinkAsync("eth-b")); // the peer was created in b, not here
        Assert.Equal(eb.Index, ea.ParentIndex);
        Assert.NotNull(ea.LinkNetnsId);

        await na.AddAddressAsync(ea.Index, IPAddress.Parse("10.77.0.1"), 24);
        await nb.AddAddressAsync(eb.Index, IPAddress.Parse("10.77.0.2"), 24);
        await na.AddAddressAsync(ea.Index, IPAddress.Parse("fd77::1"), 64, noDad: true);
        await nb.AddAddressAsync(eb.Index, IPAddress.Parse("fd77::2"), 64, noDad: true);
        foreach ((IRtNetlink n, LinkInfo l) in new[] { (na, ea), (nb, eb) })
        {
            await n.SetLinkUpAsync(l.Index, up: true);
            await n.SetLinkUpAsync((await n.GetLinkAsync("lo"))!.Index, up: true);
        }

        await NetnsScope.RunAsync("ip", "netns", "exec", a.Name!, "ping", "-c1", "-W2", "10.77.0.2");
        await NetnsScope.RunAsync("ip", "netns", "exec", b.Name!, "ping", "-c1", "-W2", "10.77.0.1");
        await NetnsScope.RunAsync("ip", "netns", "exec", a.Name!, "ping", "-6", "-c1", "-W2", "fd77::2");

        IReadOnlyList<AddressInfo> addresses = await nb.ListAddressesAsync(index: eb.Index);
        Assert.Contains(addresses, x => x.Address.Equals(IPAddress.Parse("10.77.0.2")) && x.PrefixLength == 24);
        Assert.Contains(addresses, x => x.Address.Equals(IPAddress.Parse("fd77::2")) && x.PrefixLength == 64);
        Assert.DoesNotContain(addresses, x => x.Address.Equals(IPAddress.Parse("10.77.0.1")));
        Assert.All(await nb.ListAddressesAsync(AddressFamily.InterNetworkV6), x => Assert.Equal(AddressFamily.InterNetworkV6, x.Address.AddressFamily));

        // Address removal is visible to ip too, and ping then fails.
        await nb.DeleteAddressAsync(eb.Index, IPAddress.Parse("10.77.0.2"), 24);
        Assert.DoesNotContain(await nb.ListAddressesAsync(AddressFamily.InterNetwork, eb.Index), x => x.Address.Equals(IPAddress.Parse("10.77.0.2")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => NetnsScope.RunAsync("ip", "netns", "exec", a.Name!, "ping", "-c1", "-W1", "10.77.0.2"));
    }

    [Fact]
    public async Task Mtu_mac_rename_and_up_read_back_through_our_dump_and_through_ip_json()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        IRtNetlink n = await _scope.OpenAsync(ns);
        await n.CreateVethAsync("kn-x0", "kn-x1", peerNamespace: null, new LinkOptions(Mtu: 1450));
        LinkInfo link = (await n.GetLinkAsync("kn-x0"))!;
        Assert.Equal(1450, link.Mtu);

        var mac = PhysicalAddress.Parse("02-4B-4E-00-00-2A");
        await n.SetLinkMtuAsync(link.Index, 1380);
        await n.SetLinkMacAsync(link.Index, mac);
        await n.SetLinkNameAsync(link.Index, "kn-renamed");
        await n.SetLinkUpAsync(link.Index, true);

        LinkInfo mine = Assert.Single(await n.ListLinksAsync(), l => l.Index == link.Index);
        Assert.Equal("kn-renamed", mine.Name);
        Assert.Equal(1380, mine.Mtu);
        Assert.Equal(mac, mine.MacAddress);
        Assert.True(mine.IsUp);
        Assert.Null(await n.GetLinkAsync("kn-x0"));
        Assert.Equal(mine, await n.GetLinkAsync(link.Index));

        JsonElement ip = await NetnsScope.IpLinkShowAsync(ns, "kn-renamed");
        Assert.Equal(link.Index, ip.GetProperty("ifindex").GetInt32());
        Assert.Equal(1380, ip.GetProperty("mtu").GetInt32());
        Assert.Equal("02:4b:4e:00:00:2a", ip.GetProperty("address").GetString());
        Assert.Contains("UP", ip.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        await n.SetLinkUpAsync(link.Index, false);
        Assert.False((await n.GetLinkAsync(link.Index))!.IsUp);
        ip = await NetnsScope.IpLinkShowAsync(ns, "kn-renamed");
        Assert.DoesNotContain("UP", ip.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task Enslaving_a_macvlan_parent_to_a_bridge_is_a_typed_EBUSY_error_and_a_free_link_joins_the_bridge()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        IRtNetlink n = await _scope.OpenAsync(ns);
        await n.CreateBridgeAsync("qbr-test");
        int bridge = (await n.GetLinkAsync("qbr-test"))!.Index;
        await n.CreateVethAsync("kn-b0", "kn-b1", null);
        LinkInfo parent = (await n.GetLinkAsync("kn-b0"))!;
        await n.CreateMacvlanAsync("kn-mv0", parent.Index);

        // The parent already has macvlan's rx handler: the bridge cannot take it.
        var ex = await Assert.ThrowsAsync<NetlinkBusyException>(() => n.SetLinkMasterAsync(parent.Index, bridge));
        Assert.Equal(16, ex.ErrorNumber);
        Assert.Equal("set master", ex.Operation);
        Assert.Contains($"link #{parent.Index}", ex.Message, StringComparison.Ordinal);

        int free = (await n.GetLinkAsync("kn-b1"))!.Index;
        await n.SetLinkMasterAsync(free, bridge);
        Assert.Equal(bridge, (await n.GetLinkAsync(free))!.MasterIndex);
        Assert.Equal("qbr-test", (await NetnsScope.IpLinkShowAsync(ns, "kn-b1")).GetProperty("master").GetString());
        await n.SetLinkMasterAsync(free, null);
        Assert.Null((await n.GetLinkAsync(free))!.MasterIndex);
    }

    [Fact]
    public async Task Renaming_a_link_that_is_up_works_on_this_kernel()
    {
        // Kernels before 6.x refused this with EBUSY (NetlinkBusyException); callers rename before setting up anyway.
        NetworkNamespace ns = await _scope.CreateAsync();
        IRtNetlink n = await _scope.OpenAsync(ns);
        await n.CreateVethAsync("kn-r0", "kn-r1", null);
        LinkInfo link = (await n.GetLinkAsync("kn-r0"))!;
        await n.SetLinkUpAsync(link.Index, true);
        await n.SetLinkNameAsync(link.Index, "kn-r2");
        Assert.Equal("kn-r2", (await n.GetLinkAsync(link.Index))!.Name);
    }

    [Fact]
    public async Task Macvlan_on_a_veth_parent_is_moved_into_a_pod_namespace_and_talks_to_a_sibling()
    {
        NetworkNamespace host = await _scope.CreateAsync("host"), pod = await _scope.CreateAsync("pod"), pod2 = await _scope.CreateAsync("pod2");
        IRtNetlink nh = await _scope.OpenAsync(host), np = await _scope.OpenAsync(pod), np2 = await _scope.OpenAsync(pod2);
        // A veth end stands in for the VM's trunk parent (no dummy module on this kernel).
        await nh.CreateVethAsync("parent0", "parent0p", null);
        LinkInfo parent = (await nh.GetLinkAsync("parent0"))!;
        await nh.SetLinkUpAsync(parent.Index, true);
        // macvlans only pass traffic while the parent has carrier, which a veth has once its peer is up.
        await nh.SetLinkUpAsync((await nh.GetLinkAsync("parent0p"))!.Index, true);

        // 1) created on the host parent, then moved by fd (Kuryr's nested macvlan flow).
        await nh.CreateMacvlanAsync("mv-tmp", parent.Index, MacvlanMode.Bridge);
        LinkInfo mv = (await nh.GetLinkAsync("mv-tmp"))!;
        Assert.Equal("macvlan", mv.Kind);
        Assert.Equal(parent.Index, mv.ParentIndex);
        await nh.MoveLinkAsync(mv.Index, pod);
        Assert.Null(await nh.GetLinkAsync("mv-tmp"));
        LinkInfo inPod = (await np.GetLinkAsync("mv-tmp"))!;
        Assert.Equal("macvlan", inPod.Kind);
        Assert.Equal(mv.MacAddress, inPod.MacAddress);
        await np.SetLinkNameAsync(inPod.Index, "eth0");

        // 2) created directly inside the second pod (IFLA_NET_NS_FD on the macvlan itself).
        await nh.CreateMacvlanAsync("eth0", parent.Index, MacvlanMode.Bridge, pod2);
        LinkInfo inPod2 = (await np2.GetLinkAsync("eth0"))!;
        Assert.Equal("macvlan", inPod2.Kind);

        await np.AddAddressAsync(inPod.Index, IPAddress.Parse("10.78.0.10"), 24);
        await np2.AddAddressAsync(inPod2.Index, IPAddress.Parse("10.78.0.11"), 24);
        await np.SetLinkUpAsync(inPod.Index, true);
        await np2.SetLinkUpAsync(inPod2.Index, true);
        await NetnsScope.RunAsync("ip", "netns", "exec", pod.Name!, "ping", "-c1", "-W2", "10.78.0.11");
        JsonElement ip = await NetnsScope.IpLinkShowAsync(pod, "eth0");
        Assert.Equal("macvlan", ip.GetProperty("linkinfo").GetProperty("info_kind").GetString());
    }

    [Fact]
    public async Task Default_route_and_subnet_host_routes_are_added_listed_and_deleted()
    {
        NetworkNamespace pod = await _scope.CreateAsync();
        IRtNetlink n = await _scope.OpenAsync(pod);
        await n.CreateVethAsync("eth0", "peer0", null);
        LinkInfo eth0 = (await n.GetLinkAsync("eth0"))!;
        await n.SetLinkUpAsync(eth0.Index, true);
        await n.AddAddressAsync(eth0.Index, IPAddress.Parse("10.79.0.5"), 24);
        await n.AddAddressAsync(eth0.Index, IPAddress.Parse("fd79::5"), 64, noDad: true);

        IPAddress gw = IPAddress.Parse("10.79.0.1");
        await n.AddRouteAsync(RouteSpec.DefaultVia(gw, eth0.Index));
        await n.AddRouteAsync(RouteSpec.Via(IPAddress.Parse("192.168.50.0"), 24, IPAddress.Parse("10.79.0.254"), eth0.Index));
        await n.AddRouteAsync(RouteSpec.OnLink(IPAddress.Parse("172.31.9.9"), 32, eth0.Index));
        await n.AddRouteAsync(RouteSpec.DefaultVia(IPAddress.Parse("fd79::1"), eth0.Index));

        IReadOnlyList<RouteInfo> v4 = await n.ListRoutesAsync(AddressFamily.InterNetwork);
        RouteInfo def = Assert.Single(v4, r => r.IsDefault && r.Table == 254);
        Assert.Equal(gw, def.Gateway);
        Assert.Equal(eth0.Index, def.OutputInterfaceIndex);
        Assert.Contains(v4, r => IPAddress.Parse("192.168.50.0").Equals(r.Destination) && r.PrefixLength == 24 && IPAddress.Parse("10.79.0.254").Equals(r.Gateway));
        Assert.Contains(v4, r => IPAddress.Parse("172.31.9.9").Equals(r.Destination) && r.PrefixLength == 32 && r.Gateway is null && r.Scope == 253);
        Assert.Contains(await n.ListRoutesAsync(AddressFamily.InterNetworkV6), r => r.IsDefault && IPAddress.Parse("fd79::1").Equals(r.Gateway));

        string ipRoutes = await NetnsScope.RunAsync("ip", "-n", pod.Name!, "-j", "route", "show");
        using (var doc = JsonDocument.Parse(ipRoutes))
        {
            Assert.Contains(doc.RootElement.EnumerateArray(), r => r.GetProperty("dst").GetString() == "default" && r.GetProperty("gateway").GetString() == "10.79.0.1");
            Assert.Contains(doc.RootElement.EnumerateArray(), r => r.GetProperty("dst").GetString() == "192.168.50.0/24");
        }

        // Same route twice: typed EEXIST (callers clean leftovers); replace succeeds.
        var exists = await Assert.ThrowsAsync<NetlinkAlreadyExistsException>(() => n.AddRouteAsync(RouteSpec.DefaultVia(gw, eth0.Index)));
        Assert.Contains("default via 10.79.0.1", exists.Message, StringComparison.Ordinal);
        await n.AddRouteAsync(RouteSpec.DefaultVia(IPAddress.Parse("10.79.0.2"), eth0.Index), replace: true);
        Assert.Equal(IPAddress.Parse("10.79.0.2"), Assert.Single(await n.ListRoutesAsync(AddressFamily.InterNetwork), r => r.IsDefault).Gateway);

        await n.DeleteRouteAsync(RouteSpec.Via(IPAddress.Parse("192.168.50.0"), 24, IPAddress.Parse("10.79.0.254"), eth0.Index));
        Assert.DoesNotContain(await n.ListRoutesAsync(AddressFamily.InterNetwork), r => IPAddress.Parse("192.168.50.0").Equals(r.Destination));
    }

    [Fact]
    public async Task Creating_a_link_that_exists_is_a_typed_EEXIST_and_deleting_a_missing_one_a_typed_ENODEV()
    {
        NetworkNamespace ns = await _scope.CreateAsync(), other = await _scope.CreateAsync();
        IRtNetlink n = await _scope.OpenAsync(ns);
        await n.CreateVethAsync("kn-dup0", "kn-dup1", other);
        var exists = await Assert.ThrowsAsync<NetlinkAlreadyExistsException>(() => n.CreateVethAsync("kn-dup0", "kn-dup9", other));
        Assert.Equal("create veth", exists.Operation);
        Assert.Contains("kn-dup0", exists.Message, StringComparison.Ordinal);
        Assert.Equal(17, exists.ErrorNumber);

        LinkInfo link = (await n.GetLinkAsync("kn-dup0"))!;
        await n.DeleteLinkAsync(link.Index);
        Assert.Null(await n.GetLinkAsync("kn-dup0"));
        IRtNetlink no = await _scope.OpenAsync(other);
        Assert.Null(await no.GetLinkAsync("kn-dup1")); // the peer went with it

        var missing = await Assert.ThrowsAsync<NetlinkNoDeviceException>(() => n.DeleteLinkAsync(link.Index));
        Assert.Equal(19, missing.ErrorNumber);
        Assert.Contains($"link #{link.Index}", missing.Message, StringComparison.Ordinal);

        // A missing parent is ENODEV too; a duplicate address is EEXIST.
        await Assert.ThrowsAsync<NetlinkNoDeviceException>(() => n.CreateMacvlanAsync("kn-mv", 999_999));
        await n.CreateVethAsync("kn-ad0", "kn-ad1", null);
        int idx = (await n.GetLinkAsync("kn-ad0"))!.Index;
        await n.AddAddressAsync(idx, IPAddress.Parse("10.80.0.1"), 24);
        await Assert.ThrowsAsync<NetlinkAlreadyExistsException>(() => n.AddAddressAsync(idx, IPAddress.Parse("10.80.0.1"), 24));
    }

    [Fact]
    public async Task Vlan_creation_fails_on_this_kernel_with_a_typed_error_naming_the_link()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        IRtNetlink n = await _scope.OpenAsync(ns);
        await n.CreateVethAsync("kn-tr0", "kn-tr1", null);
        int parent = (await n.GetLinkAsync("kn-tr0"))!.Index;
        // No 8021q here: the kernel answers EOPNOTSUPP ("Unknown device type"); on a kernel with it this creates the link.
        try
        {
            await n.CreateVlanAsync("kn-tr0.100", parent, 100);
            Assert.Equal("vlan", (await n.GetLinkAsync("kn-tr0.100"))!.Kind);
        }
        catch (NetlinkException ex)
        {
            Assert.Equal("create vlan", ex.Operation);
            Assert.Contains("kn-tr0.100", ex.Message, StringComparison.Ordinal);
            output.WriteLine(ex.Message);
        }
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_reaching_the_kernel_naming_the_field()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        IRtNetlink n = await _scope.OpenAsync(ns);
        Assert.Equal("name", (await Assert.ThrowsAsync<ArgumentException>(() => n.CreateVethAsync("this-name-is-too-long", "p", null))).ParamName);
        Assert.Equal("peerName", (await Assert.ThrowsAsync<ArgumentException>(() => n.CreateVethAsync("ok", "bad/name", null))).ParamName);
        Assert.Equal("prefixLength", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => n.AddAddressAsync(1, IPAddress.Parse("10.0.0.1"), 33))).ParamName);
        Assert.Equal("mtu", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => n.SetLinkMtuAsync(1, 10))).ParamName);
        Assert.Equal("route", (await Assert.ThrowsAsync<ArgumentException>(() => n.AddRouteAsync(new RouteSpec(null, 0, null, null)))).ParamName);
        Assert.Empty(await n.ListRoutesAsync(AddressFamily.InterNetwork)); // nothing was sent
    }

    [Fact]
    public async Task Twenty_veths_created_in_parallel_into_twenty_namespaces()
    {
        NetworkNamespace host = await _scope.CreateAsync("h");
        NetworkNamespace[] pods = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _scope.CreateAsync("p")));
        IRtNetlink[] clients = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _scope.OpenAsync(host)));

        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => clients[i].CreateVethAsync($"tap{i:D2}", "eth0", pods[i], new LinkOptions(Mtu: 1400), new LinkOptions(Mtu: 1400))));
        sw.Stop();
        output.WriteLine($"20 veths (peer created in place) in parallel: {sw.Elapsed.TotalMilliseconds:F1} ms");

        IReadOnlyList<LinkInfo> hostLinks = await clients[0].ListLinksAsync();
        for (int i = 0; i < 20; i++)
        {
            LinkInfo hostEnd = Assert.Single(hostLinks, l => l.Name == $"tap{i:D2}");
            using IRtNetlink pn = await _scope.Factory.OpenAsync(pods[i]);
            LinkInfo podEnd = (await pn.GetLinkAsync("eth0"))!;
            Assert.Equal(1400, podEnd.Mtu);
            Assert.Equal(podEnd.Index, hostEnd.ParentIndex);
            Assert.Equal(hostEnd.Index, podEnd.ParentIndex);
        }
    }

    [Fact]
    public async Task A_dump_of_many_links_spanning_several_datagrams_is_complete()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        IRtNetlink n = await _scope.OpenAsync(ns);
        for (int i = 0; i < 60; i++)
        {
            await n.CreateVethAsync($"d{i:D2}a", $"d{i:D2}b", null);
        }

        IReadOnlyList<LinkInfo> links = await n.ListLinksAsync();
        Assert.Equal(121, links.Count); // lo + 120 veth ends (~1 KiB each: more than one 32 KiB datagram)
        Assert.Equal(links.Count, links.Select(l => l.Index).Distinct().Count());
        string ip = await NetnsScope.RunAsync("ip", "-n", ns.Name!, "-j", "link", "show");
        using var doc = JsonDocument.Parse(ip);
        Assert.Equal(doc.RootElement.GetArrayLength(), links.Count);
    }
}
