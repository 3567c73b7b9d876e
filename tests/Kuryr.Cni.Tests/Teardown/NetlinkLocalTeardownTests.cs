using Kuryr.Cni.Tests.Support;
using Kuryr.Netlink;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl;
using static Kuryr.Cni.Tests.Support.CniExec;

namespace Kuryr.Cni.Tests.Teardown;

/// <summary>
/// DEL with no agent socket, executed as the real kuryr-cni process on the real kernel (root): the
/// local teardown deletes CNI_IFNAME inside CNI_NETNS through netlink. The netns and links are set up
/// with the netlink library itself (no <c>ip</c>).
/// </summary>
public sealed class NetlinkLocalTeardownTests : IAsyncLifetime
{
    private readonly string _ns = $"kcnid-{Guid.NewGuid():N}"[..14];
    private readonly string _hostEnd = $"kd{Guid.NewGuid():N}"[..12];
    private readonly string _socket = $"/tmp/kcnid-no-agent-{Guid.NewGuid():N}.sock";
    private INetnsRunner _runner = null!;
    private IRtNetlinkFactory _factory = null!;
    private NetworkNamespace _netns = null!;
    private IRtNetlink _host = null!;
    private IRtNetlink _pod = null!;

    private string NetnsPath => $"{NetworkNamespace.NamedRoot}/{_ns}";

    public async Task InitializeAsync()
    {
        (_runner, _factory) = NetlinkServiceCollectionExtensions.CreateStandalone(runnerThreads: 1);
        _netns = await _runner.CreateNamedAsync(_ns);
        _host = await _factory.OpenHostAsync();
        _pod = await _factory.OpenAsync(_netns);
    }

    public Task DisposeAsync()
    {
        _pod.Dispose();
        _netns.Dispose();
        _runner.DeleteNamed(_ns);
        try
        {
            if (_host.GetLinkAsync(_hostEnd).GetAwaiter().GetResult() is { } left)
            {
                _host.DeleteLinkAsync(left.Index).GetAwaiter().GetResult();
            }
        }
        finally
        {
            _host.Dispose();
            (_runner as IDisposable)?.Dispose();
        }

        return Task.CompletedTask;
    }

    private Task<Outcome> DelAsync(string? netns, string ifName = "eth0") =>
        RunAsync(KuryrCni, Env("DEL", containerId: "teardown", netns: netns, ifName: ifName), Config("1.0.0", _socket));

    [Fact]
    public async Task Del_with_no_agent_deletes_the_pods_veth_and_with_it_the_host_peer_then_again_and_after_the_netns_is_gone()
    {
        await _host.CreateVethAsync(_hostEnd, "eth0", _netns);
        Assert.NotNull(await _host.GetLinkAsync(_hostEnd));
        Assert.NotNull(await _pod.GetLinkAsync("eth0"));

        var first = await DelAsync(NetnsPath);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("", first.Stdout);
        Assert.Null(await _pod.GetLinkAsync("eth0"));
        Assert.Null(await _host.GetLinkAsync(_hostEnd));
        Assert.Contains("6403", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("deleted veth eth0", first.Stderr, StringComparison.Ordinal);

        var second = await DelAsync(NetnsPath);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("no interface eth0", second.Stderr, StringComparison.Ordinal);

        Assert.True(_runner.DeleteNamed(_ns));
        var third = await DelAsync(NetnsPath);
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("is gone", third.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Del_with_no_agent_and_an_empty_or_missing_CNI_NETNS_succeeds_and_touches_nothing()
    {
        await _host.CreateVethAsync(_hostEnd, "eth0", _netns);

        var empty = await DelAsync("");
        Assert.True(empty.ExitCode == 0, empty.ToString());
        Assert.Contains("no CNI_NETNS", empty.Stderr, StringComparison.Ordinal);
        var missing = await DelAsync(null);
        Assert.True(missing.ExitCode == 0, missing.ToString());

        // Nothing named by the call was removed: the pod's interface is still there.
        Assert.NotNull(await _pod.GetLinkAsync("eth0"));
        Assert.NotNull(await _host.GetLinkAsync(_hostEnd));
    }

    [Fact]
    public async Task Del_with_no_agent_deletes_a_macvlan_and_leaves_its_parent_and_other_links_alone()
    {
        // The macvlan's parent is a host veth end (this kernel has no dummy driver module guarantee).
        await _host.CreateVethAsync(_hostEnd, _hostEnd + "p", null);
        var parent = await _host.GetLinkAsync(_hostEnd);
        await _host.CreateMacvlanAsync("eth1", parent!.Index, targetNamespace: _netns);
        await _host.CreateVethAsync(_hostEnd + "q", "eth0", _netns);

        var del = await DelAsync(NetnsPath, ifName: "eth1");
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Contains("deleted macvlan eth1", del.Stderr, StringComparison.Ordinal);
        Assert.Null(await _pod.GetLinkAsync("eth1"));
        Assert.NotNull(await _pod.GetLinkAsync("eth0"));
        Assert.NotNull(await _host.GetLinkAsync(_hostEnd));
        await _host.DeleteLinkAsync((await _host.GetLinkAsync(_hostEnd + "q"))!.Index);
    }

    [Fact]
    public async Task Del_with_no_agent_and_a_CNI_NETNS_that_is_not_a_namespace_succeeds()
    {
        var notNs = Path.GetTempFileName();
        try
        {
            var del = await DelAsync(notNs);
            Assert.True(del.ExitCode == 0, del.ToString());
            Assert.Contains("6403", del.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", del.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(notNs);
        }
    }
}
