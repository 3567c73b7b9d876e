using Kuryr.Netlink.Namespaces;

namespace Kuryr.Netlink.Tests.Namespaces;

public sealed class NetnsRunnerTests : IAsyncLifetime
{
    private readonly NetnsScope _scope = new(runnerThreads: 2);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task Named_namespace_is_created_like_ip_netns_add_and_visible_to_ip()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        Assert.True(NetworkNamespace.NamedExists(ns.Name!));
        string list = await NetnsScope.RunAsync("ip", "netns", "list");
        Assert.Contains(ns.Name!, list, StringComparison.Ordinal);
        Assert.NotEqual(NetworkNamespace.CurrentThreadId(), ns.Id);

        // ip netns exec sees the same namespace the runner enters.
        string inode = (await NetnsScope.RunAsync("ip", "netns", "exec", ns.Name!, "readlink", "/proc/self/ns/net")).Trim();
        Assert.Equal($"net:[{ns.Id}]", inode);
        ulong inside = await _scope.Runner.RunAsync(ns, NetworkNamespace.CurrentThreadId);
        Assert.Equal(ns.Id, inside);
    }

    [Fact]
    public async Task Creating_a_namespace_that_exists_is_a_typed_EEXIST_error()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        var ex = await Assert.ThrowsAsync<NetworkNamespaceException>(() => _scope.Runner.CreateNamedAsync(ns.Name!));
        Assert.Equal(17, ex.ErrorNumber);
        Assert.Contains(ns.Name!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_named_namespace_removes_it_and_a_second_delete_reports_false()
    {
        string name = _scope.ReserveName("del");
        using (NetworkNamespace ns = await _scope.Runner.CreateNamedAsync(name))
        {
            Assert.True(NetworkNamespace.NamedExists(name));
        }

        Assert.True(_scope.Runner.DeleteNamed(name));
        Assert.False(NetworkNamespace.NamedExists(name));
        Assert.False(_scope.Runner.DeleteNamed(name));
        Assert.DoesNotContain(name, await NetnsScope.RunAsync("ip", "netns", "list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_threads_return_home_and_the_thread_pool_never_enters_a_namespace()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        ulong host = NetworkNamespace.CurrentThreadId();
        for (int i = 0; i < 50; i++)
        {
            ulong inside = await _scope.Runner.RunAsync(ns, NetworkNamespace.CurrentThreadId);
            Assert.Equal(ns.Id, inside);
            // The continuation after the await runs on a pool thread, which must still be in the host namespace.
            Assert.Equal(host, NetworkNamespace.CurrentThreadId());
            Assert.False(Thread.CurrentThread.Name?.StartsWith("kuryr-netns", StringComparison.Ordinal) ?? false);
        }

        // Items with no setns run on runner threads that are back home.
        using NetworkNamespace self = NetworkNamespace.Open("/proc/self/ns/net");
        ulong[] ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _scope.Runner.RunAsync(self, NetworkNamespace.CurrentThreadId)));
        Assert.All(ids, id => Assert.Equal(host, id));
        Assert.Equal(0, _scope.Runner.DiscardedThreads);
    }

    [Fact]
    public async Task A_thread_that_fails_to_return_home_is_discarded_and_replaced()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        int started = _scope.Runner.StartedThreads;
        _scope.Runner.FailNextRestores = 1;
        // The item itself ran, so its result is delivered.
        Assert.Equal(ns.Id, await _scope.Runner.RunAsync(ns, NetworkNamespace.CurrentThreadId));
        await WaitForAsync(() => _scope.Runner.DiscardedThreads == 1);

        ulong host = NetworkNamespace.CurrentThreadId();
        using NetworkNamespace self = NetworkNamespace.Open("/proc/self/ns/net");
        // Everything after runs on threads that are home: none ran in ns by mistake.
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(host, await _scope.Runner.RunAsync(self, NetworkNamespace.CurrentThreadId));
        }

        Assert.Equal(started + 1, _scope.Runner.StartedThreads);
    }

    [Fact]
    public async Task Exceptions_of_the_delegate_reach_the_caller_and_the_thread_stays_usable()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => _scope.Runner.RunAsync(ns, () => throw new InvalidOperationException("boom")));
        Assert.Equal(ns.Id, await _scope.Runner.RunAsync(ns, NetworkNamespace.CurrentThreadId));
        Assert.Equal(0, _scope.Runner.DiscardedThreads);
    }

    [Fact]
    public async Task Bug_a_bind_mounted_named_namespace_was_rejected_as_not_a_network_namespace()
    {
        // readlink(/proc/self/fd/N) of a bind-mounted nsfs file shows its path, not "net:[N]": the type
        // check now asks the kernel (ioctl NS_GET_NSTYPE) and the id comes from statx.
        NetworkNamespace ns = await _scope.CreateAsync();
        using NetworkNamespace byRunPath = NetworkNamespace.Open("/run/netns/" + ns.Name);
        Assert.Equal(ns.Id, byRunPath.Id);
        Assert.NotEqual(0ul, ns.Id);
        Assert.Equal(ns.Id, await _scope.Runner.RunAsync(byRunPath, NetworkNamespace.CurrentThreadId));
    }

    [Fact]
    public async Task Namespace_of_a_process_opens_by_pid()
    {
        using NetworkNamespace mine = NetworkNamespace.OpenProcess(Environment.ProcessId);
        Assert.Equal(NetworkNamespace.CurrentThreadId(), mine.Id);
        var ex = Assert.Throws<NetworkNamespaceException>(() => NetworkNamespace.Open("/proc/self/ns/uts"));
        Assert.Contains("not a network namespace", ex.Message, StringComparison.Ordinal);
        Assert.Throws<NetworkNamespaceException>(() => NetworkNamespace.OpenNamed(NetnsScope.UniqueName("missing")));
        Assert.Throws<ArgumentException>(() => NetworkNamespace.OpenNamed("../etc"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Bug_a_thread_discarded_inside_a_pod_namespace_started_its_replacement_there()
    {
        NetworkNamespace ns = await _scope.CreateAsync();
        _scope.Runner.FailNextRestores = 1;
        Assert.Equal(ns.Id, await _scope.Runner.RunAsync(ns, NetworkNamespace.CurrentThreadId));
        for (int i = 0; i < 10; i++)
        {
            await _scope.Runner.RunAsync(ns, NetworkNamespace.CurrentThreadId);
        }

        // Once the discarded thread has exited, no thread of this process may be left in the pod's
        // namespace: not its replacement, not a thread-pool worker spawned while completing the item.
        await WaitForAsync(() => ThreadsIn(ns.Id).Count == 0);
    }

    private static List<string> ThreadsIn(ulong namespaceId)
    {
        var found = new List<string>();
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (new FileInfo(Path.Combine(task, "ns", "net")).LinkTarget == $"net:[{namespaceId}]")
                {
                    found.Add(Path.GetFileName(task));
                }
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
