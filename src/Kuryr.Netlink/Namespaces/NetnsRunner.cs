using System.Collections.Concurrent;
using Kuryr.Netlink.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Netlink.Namespaces;

/// <summary>
/// A small set of dedicated OS threads (not thread-pool threads) taking work items from one queue.
/// The runner's home is the namespace of the thread that built it; every worker enters it at start
/// (whoever happened to start it), and after every item setns()es back to it and verifies the
/// namespace id. A thread that fails either step is discarded: it hands its item to the supervisor
/// thread (which is home) and exits, only logging on the way: it never completes a task, starts a
/// thread or queues work:
/// any thread it created, a thread-pool worker the runtime spawns on a queue included, would be
/// born in the foreign namespace.
/// </summary>
internal sealed partial class NetnsRunner : INetnsRunner, IDisposable
{
    private static readonly Lock MountLock = new();
    private static bool s_runDirShared;

    private readonly BlockingCollection<IWorkItem> _queue = new();
    private readonly BlockingCollection<(IWorkItem? Item, int Thread)> _retired = new();
    private readonly NetworkNamespace _home;
    private readonly ulong _homeId;
    private readonly ILogger _logger;
    private readonly int _workerCount;
    private readonly Lock _startLock = new();
    private int _live;
    private int _started;
    private int _discarded;

    public NetnsRunner(ILogger<NetnsRunner>? logger = null, int workerCount = 4)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workerCount);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _workerCount = workerCount;
        _home = NetworkNamespace.OpenCurrentThread();
        _homeId = _home.Id;
        new Thread(SupervisorLoop) { IsBackground = true, Name = "kuryr-netns-supervisor" }.Start();
    }

    /// <summary>Threads thrown away because they could not return home (for tests and metrics).</summary>
    internal int DiscardedThreads => Volatile.Read(ref _discarded);

    /// <summary>Threads started so far, replacements included.</summary>
    internal int StartedThreads => Volatile.Read(ref _started);

    /// <summary>Test hook: makes the next restore fail as if setns back had failed.</summary>
    internal int FailNextRestores;

    public Task<T> RunAsync<T>(NetworkNamespace target, Func<T> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(action);
        return Enqueue(new WorkItem<T>(target, unshare: false, action, cancellationToken));
    }

    public Task RunAsync(NetworkNamespace target, Action action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return RunAsync<bool>(target, () =>
        {
            action();
            return true;
        }, cancellationToken);
    }

    public Task<NetworkNamespace> CreateNamedAsync(string name, CancellationToken cancellationToken = default)
    {
        string path = NetworkNamespace.NamedPath(name);
        EnsureRunDirShared();
        return Enqueue(new WorkItem<NetworkNamespace>(target: null, unshare: true, () => BindCurrentThreadNamespace(name, path), cancellationToken));
    }

    public bool DeleteNamed(string name)
    {
        string path = NetworkNamespace.NamedPath(name);
        if (!File.Exists(path))
        {
            return false;
        }

        if (LibC.Umount2(path, LibC.MNT_DETACH) != 0)
        {
            int errno = LibC.LastError;
            // EINVAL: not a mount point (a leftover file from a failed add): just remove it.
            if (errno != LibC.EINVAL && errno != LibC.ENOENT)
            {
                throw new NetworkNamespaceException($"Unmounting network namespace '{name}' ({path}) failed: {LibC.Describe(errno)}", errno, path);
            }
        }

        try
        {
            File.Delete(path);
        }
        catch (IOException ex)
        {
            throw new NetworkNamespaceException($"Removing network namespace file '{path}' failed: {ex.Message}", LibC.EBUSY, path);
        }

        Log.NamespaceDeleted(_logger, name);
        return true;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _retired.CompleteAdding();
    }

    private Task<T> Enqueue<T>(WorkItem<T> item)
    {
        _queue.Add(item);
        EnsureWorkers();
        return item.Task;
    }

    private void EnsureWorkers()
    {
        if (Volatile.Read(ref _live) >= _workerCount)
        {
            return;
        }

        lock (_startLock)
        {
            while (_live < _workerCount)
            {
                _live++;
                int number = Interlocked.Increment(ref _started);
                var thread = new Thread(WorkerLoop)
                {
                    IsBackground = true,
                    Name = $"kuryr-netns-{number}",
                };
                thread.Start();
            }
        }
    }

    private void WorkerLoop()
    {
        NetworkNamespace home;
        ulong homeId;
        try
        {
            // A thread inherits the namespace of the thread that created it: enter the runner's home.
            if (NetworkNamespace.CurrentThreadId() != _homeId && LibC.SetNs(_home.FileDescriptor, LibC.CLONE_NEWNET) != 0)
            {
                int errno = LibC.LastError;
                throw new NetworkNamespaceException($"Entering the runner's home namespace failed: {LibC.Describe(errno)}", errno, _home.Path);
            }

            home = NetworkNamespace.OpenCurrentThread();
            homeId = home.Id;
        }
        catch (NetworkNamespaceException ex)
        {
            Log.WorkerStartFailed(_logger, Environment.CurrentManagedThreadId, ex);
            Discard(null);
            return;
        }

        using (home)
        {
            foreach (IWorkItem item in _queue.GetConsumingEnumerable())
            {
                // Run returns false when the thread is in no state to run anything else.
                if (!item.Run(home, _logger) || !ReturnHome(home, homeId))
                {
                    Discard(item);
                    return;
                }

                item.Finish();
            }
        }

        lock (_startLock)
        {
            _live--;
        }
    }

    /// <summary>Called on a thread that may be in a foreign namespace: only hands over, then the thread ends.</summary>
    private void Discard(IWorkItem? item)
    {
        try
        {
            _retired.Add((item, Environment.CurrentManagedThreadId));
        }
        catch (InvalidOperationException)
        {
            // Disposed: nobody waits for the item any more.
        }
    }

    /// <summary>The supervisor (home, since it was started by the constructor's thread): replaces a
    /// discarded worker before its caller gets the item's result, so nobody sees the runner short of a
    /// thread it already lost.</summary>
    private void SupervisorLoop()
    {
        foreach ((IWorkItem? item, int thread) in _retired.GetConsumingEnumerable())
        {
            lock (_startLock)
            {
                _live--;
            }

            Log.WorkerDiscarded(_logger, thread);
            if (item is not null && !_queue.IsAddingCompleted)
            {
                // A thread that failed at start is not replaced at once (no respawn loop): the next
                // item replaces it.
                EnsureWorkers();
            }

            Interlocked.Increment(ref _discarded);
            item?.Finish();
        }

        _home.Dispose();
    }

    private bool ReturnHome(NetworkNamespace home, ulong homeId)
    {
        int errno = 0;
        if (Interlocked.Decrement(ref FailNextRestores) >= 0)
        {
            errno = LibC.EINVAL;
        }
        else
        {
            Interlocked.Exchange(ref FailNextRestores, 0);
            if (LibC.SetNs(home.FileDescriptor, LibC.CLONE_NEWNET) != 0)
            {
                errno = LibC.LastError;
            }
        }

        if (errno == 0)
        {
            ulong now = NetworkNamespace.CurrentThreadId();
            if (now == homeId)
            {
                return true;
            }

            Log.WorkerNotHome(_logger, Environment.CurrentManagedThreadId, homeId, now);
            return false;
        }

        string error = LibC.Describe(errno);
        Log.WorkerRestoreFailed(_logger, Environment.CurrentManagedThreadId, home.Path, error);
        return false;
    }

    private NetworkNamespace BindCurrentThreadNamespace(string name, string path)
    {
        int fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = LibC.LastError;
            throw new NetworkNamespaceException(
                errno == LibC.EEXIST
                    ? $"Network namespace '{name}' already exists ({path})."
                    : $"Creating network namespace file '{path}' failed: {LibC.Describe(errno)}",
                errno,
                path);
        }

        _ = LibC.Close(fd);
        if (LibC.Mount("/proc/thread-self/ns/net", path, "none", LibC.MS_BIND, 0) != 0)
        {
            int errno = LibC.LastError;
            File.Delete(path);
            throw new NetworkNamespaceException($"Bind-mounting the new network namespace on '{path}' failed: {LibC.Describe(errno)}", errno, path);
        }

        Log.NamespaceCreated(_logger, name);
        return NetworkNamespace.OpenNamed(name);
    }

    /// <summary>Makes /var/run/netns a shared mount point once, as iproute2 does, so bind mounts propagate.</summary>
    private static void EnsureRunDirShared()
    {
        lock (MountLock)
        {
            if (s_runDirShared)
            {
                return;
            }

            string dir = NetworkNamespace.NamedRoot;
            Directory.CreateDirectory(dir);
            if (LibC.Mount("", dir, "none", LibC.MS_SHARED | LibC.MS_REC, 0) != 0)
            {
                int errno = LibC.LastError;
                if (errno != LibC.EINVAL
                    || LibC.Mount(dir, dir, "none", LibC.MS_BIND | LibC.MS_REC, 0) != 0
                    || LibC.Mount("", dir, "none", LibC.MS_SHARED | LibC.MS_REC, 0) != 0)
                {
                    errno = LibC.LastError;
                    throw new NetworkNamespaceException($"Making '{dir}' a shared mount point failed: {LibC.Describe(errno)}", errno, dir);
                }
            }

            s_runDirShared = true;
        }
    }

    private interface IWorkItem
    {
        /// <summary>Enters the namespace and runs; false when the thread must be discarded.</summary>
        bool Run(NetworkNamespace home, ILogger logger);

        /// <summary>Publishes the outcome (after the thread went home).</summary>
        void Finish();
    }

    private sealed class WorkItem<T>(NetworkNamespace? target, bool unshare, Func<T> action, CancellationToken cancellationToken) : IWorkItem
    {
        // Continuations must never run inline on the worker: it may still be inside the target namespace.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;
        private bool _canceled;

        public Task<T> Task => _completion.Task;

        public bool Run(NetworkNamespace home, ILogger logger)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _canceled = true;
                return true;
            }

            try
            {
                if (target is not null)
                {
                    if (LibC.SetNs(target.FileDescriptor, LibC.CLONE_NEWNET) != 0)
                    {
                        int errno = LibC.LastError;
                        _error = new NetworkNamespaceException($"Entering network namespace '{target}' failed: {LibC.Describe(errno)}", errno, target.Path);
                        return true;
                    }
                }
                else if (unshare && LibC.Unshare(LibC.CLONE_NEWNET) != 0)
                {
                    int errno = LibC.LastError;
                    _error = new NetworkNamespaceException($"unshare(CLONE_NEWNET) failed: {LibC.Describe(errno)}", errno, "/proc/thread-self/ns/net");
                    return true;
                }

                _result = action();
            }
#pragma warning disable CA1031 // The delegate's exception is handed to the caller's task.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _error = ex;
            }

            return true;
        }

        public void Finish()
        {
            if (_canceled)
            {
                _completion.TrySetCanceled(cancellationToken);
            }
            else if (_error is not null)
            {
                _completion.TrySetException(_error);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }
    }
}
