using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Kuryr.Netlink.Namespaces;
using Kuryr.Netlink.Rtnl.Errors;
using Kuryr.Netlink.Rtnl.Model;
using Kuryr.Netlink.Rtnl.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kuryr.Netlink.Rtnl;

internal delegate T PayloadParser<out T>(ReadOnlySpan<byte> payload);

/// <summary>
/// <see cref="IRtNetlink"/> over one <see cref="NetlinkSocket"/>. One request in flight at a time
/// (a semaphore); replies are matched by sequence number, so a reply to a request abandoned by a
/// timeout or cancellation is skipped, never taken for the next request's answer.
/// </summary>
internal sealed partial class RtNetlinkClient : IRtNetlink
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int DumpAttempts = 5;

    private readonly NetlinkSocket _socket;
    private readonly string _namespace;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _buffer = new byte[ReceiveBufferSize];
    private uint _sequence = (uint)Environment.TickCount;

    public RtNetlinkClient(NetlinkSocket socket, string namespaceName, ILogger? logger = null, TimeSpan? timeout = null)
    {
        _socket = socket;
        _namespace = namespaceName;
        _logger = logger ?? NullLogger.Instance;
        _timeout = timeout ?? TimeSpan.FromSeconds(10);
    }

    public async Task<IReadOnlyList<LinkInfo>> ListLinksAsync(CancellationToken cancellationToken = default)
        => await DumpAsync(RtnlRequests.DumpLinks, Rtm.NEWLINK, RtnlParsers.ParseLink, "list links", cancellationToken).ConfigureAwait(false);

    public Task<LinkInfo?> GetLinkAsync(string name, CancellationToken cancellationToken = default)
    {
        RtnlRequests.ValidateLinkName(name, nameof(name));
        return GetAsync(seq => RtnlRequests.GetLink(seq, name), Rtm.NEWLINK, RtnlParsers.ParseLink, "get link", name, cancellationToken);
    }

    public Task<LinkInfo?> GetLinkAsync(int index, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        return GetAsync(seq => RtnlRequests.GetLink(seq, index), Rtm.NEWLINK, RtnlParsers.ParseLink, "get link", Link(index), cancellationToken);
    }

    public async Task CreateVethAsync(string name, string peerName, NetworkNamespace? peerNamespace, LinkOptions? options = null, LinkOptions? peerOptions = null, CancellationToken cancellationToken = default)
    {
        string peerWhere = peerNamespace?.ToString() ?? _namespace;
        await AckAsync(seq => RtnlRequests.CreateVeth(seq, name, peerName, peerNamespace?.FileDescriptor, options, peerOptions), "create veth", $"{name} (peer {peerName} in {peerWhere})", cancellationToken).ConfigureAwait(false);
        GC.KeepAlive(peerNamespace);
        Log.LinkCreated(_logger, "veth", name, _namespace, peerName, peerWhere);
    }

    public async Task CreateMacvlanAsync(string name, int parentIndex, MacvlanMode mode = MacvlanMode.Bridge, NetworkNamespace? targetNamespace = null, LinkOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown macvlan mode.");
        }

        string parent = Link(parentIndex), where = targetNamespace?.ToString() ?? _namespace;
        await AckAsync(seq => RtnlRequests.CreateMacvlan(seq, name, parentIndex, mode, targetNamespace?.FileDescriptor, options), "create macvlan", $"{name} (parent {parent})", cancellationToken).ConfigureAwait(false);
        GC.KeepAlive(targetNamespace);
        Log.LinkCreated(_logger, "macvlan", name, where, parent, _namespace);
    }

    public async Task CreateVlanAsync(string name, int parentIndex, int vlanId, NetworkNamespace? targetNamespace = null, LinkOptions? options = null, CancellationToken cancellationToken = default)
    {
        string parent = Link(parentIndex), where = targetNamespace?.ToString() ?? _namespace;
        await AckAsync(seq => RtnlRequests.CreateVlan(seq, name, parentIndex, vlanId, targetNamespace?.FileDescriptor, options), "create vlan", $"{name} (parent {parent}, id {vlanId.ToString(CultureInfo.InvariantCulture)})", cancellationToken).ConfigureAwait(false);
        GC.KeepAlive(targetNamespace);
        Log.LinkCreated(_logger, "vlan", name, where, parent, _namespace);
    }

    public async Task CreateBridgeAsync(string name, LinkOptions? options = null, CancellationToken cancellationToken = default)
    {
        await AckAsync(seq => RtnlRequests.CreateBridge(seq, name, options), "create bridge", name, cancellationToken).ConfigureAwait(false);
        Log.LinkCreated(_logger, "bridge", name, _namespace, "-", _namespace);
    }

    public Task SetLinkMasterAsync(int index, int? masterIndex, CancellationToken cancellationToken = default)
        => AckAsync(seq => RtnlRequests.SetMaster(seq, index, masterIndex), masterIndex is null ? "release from master" : "set master", masterIndex is int m ? $"{Link(index)} to {Link(m)}" : Link(index), cancellationToken);

    public Task SetLinkNameAsync(int index, string name, CancellationToken cancellationToken = default)
        => AckAsync(seq => RtnlRequests.SetLink(seq, index, name: name), "rename", $"{Link(index)} to {name}", cancellationToken);

    public Task SetLinkMacAsync(int index, PhysicalAddress mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mac);
        return AckAsync(seq => RtnlRequests.SetLink(seq, index, mac: mac), "set mac", $"{Link(index)} to {mac}", cancellationToken);
    }

    public Task SetLinkMtuAsync(int index, int mtu, CancellationToken cancellationToken = default)
        => AckAsync(seq => RtnlRequests.SetLink(seq, index, mtu: mtu), "set mtu", $"{Link(index)} to {mtu.ToString(CultureInfo.InvariantCulture)}", cancellationToken);

    public Task SetLinkUpAsync(int index, bool up, CancellationToken cancellationToken = default)
        => AckAsync(seq => RtnlRequests.SetLink(seq, index, up: up), up ? "set up" : "set down", Link(index), cancellationToken);

    public async Task MoveLinkAsync(int index, NetworkNamespace target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        await AckAsync(seq => RtnlRequests.SetLink(seq, index, namespaceFd: target.FileDescriptor), "move to namespace", $"{Link(index)} to {target}", cancellationToken).ConfigureAwait(false);
        GC.KeepAlive(target);
    }

    public async Task DeleteLinkAsync(int index, CancellationToken cancellationToken = default)
    {
        string link = Link(index);
        await AckAsync(seq => RtnlRequests.DeleteLink(seq, index), "delete link", link, cancellationToken).ConfigureAwait(false);
        Log.LinkDeleted(_logger, link, _namespace);
    }

    public async Task<IReadOnlyList<AddressInfo>> ListAddressesAsync(AddressFamily family = AddressFamily.Unspecified, int? index = null, CancellationToken cancellationToken = default)
    {
        List<AddressInfo> all = await DumpAsync(seq => RtnlRequests.DumpAddresses(seq, family), Rtm.NEWADDR, RtnlParsers.ParseAddress, "list addresses", cancellationToken).ConfigureAwait(false);
        return index is int i ? all.FindAll(a => a.InterfaceIndex == i) : all;
    }

    public Task AddAddressAsync(int index, IPAddress address, int prefixLength, bool noDad = false, CancellationToken cancellationToken = default)
        => AckAsync(seq => RtnlRequests.AddAddress(seq, index, address, prefixLength, noDad), "add address", $"{address}/{prefixLength.ToString(CultureInfo.InvariantCulture)} on {Link(index)}", cancellationToken);

    public Task DeleteAddressAsync(int index, IPAddress address, int prefixLength, CancellationToken cancellationToken = default)
        => AckAsync(seq => RtnlRequests.DeleteAddress(seq, index, address, prefixLength), "delete address", $"{address}/{prefixLength.ToString(CultureInfo.InvariantCulture)} on {Link(index)}", cancellationToken);

    public async Task<IReadOnlyList<RouteInfo>> ListRoutesAsync(AddressFamily family = AddressFamily.Unspecified, CancellationToken cancellationToken = default)
        => await DumpAsync(seq => RtnlRequests.DumpRoutes(seq, family), Rtm.NEWROUTE, RtnlParsers.ParseRoute, "list routes", cancellationToken).ConfigureAwait(false);

    public Task AddRouteAsync(RouteSpec route, bool replace = false, CancellationToken cancellationToken = default)
        => AckAsync(seq => RtnlRequests.AddRoute(seq, route, replace), replace ? "replace route" : "add route", Describe(route), cancellationToken);

    public Task DeleteRouteAsync(RouteSpec route, CancellationToken cancellationToken = default)
        => AckAsync(seq => RtnlRequests.DeleteRoute(seq, route), "delete route", Describe(route), cancellationToken);

    public void Dispose()
    {
        _socket.Dispose();
        _gate.Dispose();
    }

    private static string Link(int index) => "link #" + index.ToString(CultureInfo.InvariantCulture);

    private static string Describe(RouteSpec? route)
        => route is null ? "(null)"
            : $"{(route.Destination is null ? "default" : $"{route.Destination}/{route.PrefixLength.ToString(CultureInfo.InvariantCulture)}")}"
              + (route.Gateway is null ? string.Empty : $" via {route.Gateway}")
              + (route.OutputInterfaceIndex is int oif ? $" dev {Link(oif)}" : string.Empty);

    /// <summary>Sends a request that the kernel answers with an ACK (NLMSG_ERROR 0) or an error.</summary>
    private async Task AckAsync(Func<uint, byte[]> build, string operation, string target, CancellationToken cancellationToken)
    {
        await ExchangeAsync<bool>(build, expectedType: null, parser: null, results: null, operation, target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A single-object get: the reply message, or null on ENODEV.</summary>
    private async Task<T?> GetAsync<T>(Func<uint, byte[]> build, ushort expectedType, PayloadParser<T> parser, string operation, string target, CancellationToken cancellationToken)
        where T : class
    {
        var results = new List<T>(1);
        try
        {
            await ExchangeAsync(build, expectedType, parser, results, operation, target, cancellationToken).ConfigureAwait(false);
        }
        catch (NetlinkNoDeviceException)
        {
            return null;
        }

        return results.Count > 0 ? results[0] : null;
    }

    private async Task<List<T>> DumpAsync<T>(Func<uint, byte[]> build, ushort expectedType, PayloadParser<T> parser, string operation, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            var results = new List<T>();
            bool interrupted = await ExchangeAsync(build, expectedType, parser, results, operation, _namespace, cancellationToken).ConfigureAwait(false);
            if (!interrupted)
            {
                return results;
            }

            Log.DumpInterrupted(_logger, operation, _namespace, attempt);
            if (attempt == DumpAttempts)
            {
                throw new NetlinkException(4, operation, _namespace, $"dump interrupted by concurrent changes {DumpAttempts} times");
            }
        }
    }

    /// <summary>
    /// Sends one request and reads until it is answered: an ACK/error, NLMSG_DONE for a dump, or the
    /// single reply of a get. Returns true when a dump was marked NLM_F_DUMP_INTR (inconsistent).
    /// </summary>
    private async Task<bool> ExchangeAsync<T>(Func<uint, byte[]> build, ushort? expectedType, PayloadParser<T>? parser, List<T>? results, string operation, string target, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            uint seq = unchecked(++_sequence);
            byte[] request = build(seq);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            try
            {
                await _socket.SendAsync(request, timeout.Token).ConfigureAwait(false);
                var state = new ExchangeState();
                while (true)
                {
                    int received = await _socket.ReceiveAsync(_buffer, timeout.Token).ConfigureAwait(false);
                    if (Process(_buffer.AsSpan(0, received), seq, expectedType, parser, results, ref state))
                    {
                        break;
                    }
                }

                if (state.Errno != 0)
                {
                    Log.RequestFailed(_logger, operation, target, _namespace, state.Errno, state.KernelMessage);
                    throw NetlinkException.Create(state.Errno, operation, target, state.KernelMessage);
                }

                return state.Interrupted;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Netlink {operation} of {target} in {_namespace} got no answer within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private struct ExchangeState
    {
        public int Errno;
        public string? KernelMessage;
        public bool Interrupted;
    }

    /// <summary>Handles one datagram; true when the exchange is complete.</summary>
    private static bool Process<T>(ReadOnlySpan<byte> datagram, uint seq, ushort? expectedType, PayloadParser<T>? parser, List<T>? results, ref ExchangeState state)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out NetlinkMessage message))
        {
            if (message.Sequence != seq)
            {
                continue; // a late answer to an abandoned request
            }

            if ((message.Flags & Nlmsg.F_DUMP_INTR) != 0)
            {
                state.Interrupted = true;
            }

            switch (message.Type)
            {
                case Nlmsg.ERROR:
                    (state.Errno, state.KernelMessage) = RtnlParsers.ParseError(message.Payload, message.Flags);
                    return true;
                case Nlmsg.DONE:
                    return true;
                case Nlmsg.NOOP:
                    continue;
                default:
                    if (expectedType == message.Type && parser is not null && results is not null)
                    {
                        results.Add(parser(message.Payload));
                        // A get (no NLM_F_MULTI) ends with its single reply.
                        if ((message.Flags & Nlmsg.F_MULTI) == 0)
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }
}
