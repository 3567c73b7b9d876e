namespace Kuryr.Netlink.Namespaces;

/// <summary>
/// Runs synchronous code inside a network namespace. Every delegate runs on a dedicated OS thread
/// (never a thread-pool thread) that enters the target with setns(CLONE_NEWNET), runs the delegate
/// and returns to its home namespace before it takes the next item; a thread that cannot return is
/// discarded and replaced, never reused. The delegates must not await: anything they start that
/// continues on another thread runs outside the namespace.
/// </summary>
public interface INetnsRunner
{
    /// <summary>Runs <paramref name="action"/> inside <paramref name="target"/> and returns its result.</summary>
    Task<T> RunAsync<T>(NetworkNamespace target, Func<T> action, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="action"/> inside <paramref name="target"/>.</summary>
    Task RunAsync(NetworkNamespace target, Action action, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a named namespace like <c>ip netns add NAME</c>: a new network namespace bind-mounted on
    /// <c>/var/run/netns/NAME</c> (made a shared mount first), and returns it opened.
    /// </summary>
    /// <exception cref="NetworkNamespaceException">The name is taken (ErrorNumber EEXIST) or a syscall failed.</exception>
    Task<NetworkNamespace> CreateNamedAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a named namespace like <c>ip netns del NAME</c> (lazy unmount, then unlink). The namespace
    /// itself lives on while some process or open handle still uses it. Returns false when it did not exist.
    /// </summary>
    bool DeleteNamed(string name);
}
