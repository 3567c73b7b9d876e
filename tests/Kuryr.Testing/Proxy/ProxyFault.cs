namespace Kuryr.Testing.Proxy;

/// <summary>What <see cref="FaultProxy"/> does to a request that matches a fault rule.</summary>
public abstract record ProxyFault
{
    private ProxyFault()
    {
    }

    /// <summary>Answers with <paramref name="statusCode"/> and <paramref name="body"/> instead of forwarding.</summary>
    public static ProxyFault Status(int statusCode, string body = "", string contentType = "application/json", IReadOnlyDictionary<string, string>? headers = null) =>
        new StatusFault(statusCode, body, contentType, headers ?? new Dictionary<string, string>());

    /// <summary>Waits <paramref name="delay"/> (real time), then forwards.</summary>
    public static ProxyFault Delay(TimeSpan delay) => new DelayFault(delay);

    /// <summary>Waits until <paramref name="release"/> completes, then forwards (to hold requests in flight deterministically).</summary>
    public static ProxyFault WaitFor(Task release) => new WaitFault(release);

    /// <summary>
    /// Aborts the connection without an answer. With <paramref name="afterForwarding"/> the
    /// upstream server did receive and process the request (the answer is lost on the way back).
    /// </summary>
    public static ProxyFault Drop(bool afterForwarding = false) => new DropFault(afterForwarding);

    internal sealed record StatusFault(int StatusCode, string Body, string ContentType, IReadOnlyDictionary<string, string> Headers) : ProxyFault;

    internal sealed record DelayFault(TimeSpan Duration) : ProxyFault;

    internal sealed record WaitFault(Task Release) : ProxyFault;

    internal sealed record DropFault(bool AfterForwarding) : ProxyFault;
}

/// <summary>A request as <see cref="FaultProxy"/> saw it.</summary>
public sealed class ProxiedRequest
{
    internal ProxiedRequest(DateTimeOffset receivedAt, string method, string path, string query, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        ReceivedAt = receivedAt;
        Method = method;
        Path = path;
        Query = query;
        Headers = headers;
        Body = body;
    }

    /// <summary>When the proxy started receiving it (wall clock, UTC: comparable with the components' log timestamps).</summary>
    public DateTimeOffset ReceivedAt { get; }

    public string Method { get; }

    /// <summary>The path as received, e.g. <c>/v2.0/ports</c>.</summary>
    public string Path { get; }

    /// <summary>The query string including <c>?</c>, or empty.</summary>
    public string Query { get; }

    /// <summary>Request headers (case-insensitive names; repeated values comma-joined).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    /// <summary>The status sent back; 0 while in flight or when the connection was dropped.</summary>
    public int StatusCode { get; internal set; }

    /// <summary>The fault applied to this request, if any.</summary>
    public ProxyFault? Fault { get; internal set; }

    public override string ToString() => $"{Method} {Path}{Query} -> {StatusCode}";
}

/// <summary>A fault rule: applies <see cref="Fault"/> to the next <see cref="Remaining"/> matching requests.</summary>
public sealed class FaultRule
{
    private int _remaining;
    private int _hits;

    internal FaultRule(Func<ProxiedRequest, bool> match, ProxyFault fault, int times)
    {
        Match = match;
        Fault = fault;
        _remaining = times;
    }

    internal Func<ProxiedRequest, bool> Match { get; }

    public ProxyFault Fault { get; }

    /// <summary>How many more matching requests get the fault.</summary>
    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>How many requests got the fault so far.</summary>
    public int Hits => Volatile.Read(ref _hits);

    internal bool TryTake()
    {
        while (true)
        {
            var r = Volatile.Read(ref _remaining);
            if (r <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _remaining, r - 1, r) == r)
            {
                Interlocked.Increment(ref _hits);
                return true;
            }
        }
    }
}

/// <summary>Counts the matching requests in flight at the proxy and remembers the maximum.</summary>
public sealed class ConcurrencyProbe
{
    private int _inFlight;
    private int _max;
    private int _total;

    internal ConcurrencyProbe(Func<ProxiedRequest, bool> match) => Match = match;

    internal Func<ProxiedRequest, bool> Match { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _max);

    /// <summary>Matching requests seen so far.</summary>
    public int Total => Volatile.Read(ref _total);

    internal void Enter()
    {
        Interlocked.Increment(ref _total);
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, max) != max)
        {
        }
    }

    internal void Exit() => Interlocked.Decrement(ref _inFlight);
}
