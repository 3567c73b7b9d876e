using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Kuryr.Neutron.Errors;
using Kuryr.Pools.Drivers;
using Kuryr.Pools.Drivers.Common;
using Kuryr.Pools.Drivers.MultiPool;
using Kuryr.Pools.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Management;

/// <summary>
/// The pool management API (docs/pool-management-api.md): one terminal request delegate that routes
/// <c>/pools…</c> itself, so every answer, including unknown routes and bad bodies, is JSON with a
/// proper status code.
/// </summary>
internal sealed partial class PoolManagementHandler(
    IVifPool pools,
    IPoolStateStore store,
    IPoolMetadata metadata,
    IPoolDriverSelector drivers,
    ISubnetCache subnets,
    IManagementGate gate,
    ILogger<PoolManagementHandler> logger)
{
    /// <summary>Upper bound of <c>ports</c> in one populate (Neutron bulk requests stay reasonable).</summary>
    public const int MaxPortsPerPopulate = 500;

    private static readonly PoolManagementJsonContext Json = PoolManagementJsonContext.Default;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        try
        {
            var status = await RouteAsync(context).ConfigureAwait(false);
            LogRequest(request.Method, request.Path.Value ?? "", status);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            LogAborted(request.Method, request.Path.Value ?? "");
        }
        catch (Exception e)
        {
            LogFailed(e, request.Method, request.Path.Value ?? "", e.Message);
            if (!context.Response.HasStarted)
            {
                await WriteAsync(context, StatusCodes.Status500InternalServerError, new ErrorResponse($"internal error: {e.Message}"), Json.ErrorResponse).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> RouteAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var segments = (context.Request.Path.Value ?? "/").TrimEnd('/').Split('/')[1..];
        if (segments.Length == 0 || segments[0] != "pools")
        {
            return await NotFoundAsync(context).ConfigureAwait(false);
        }

        switch (segments.Length)
        {
            case 1:
                return HttpMethods.IsGet(method)
                    ? await ListAsync(context).ConfigureAwait(false)
                    : await MethodNotAllowedAsync(context, "GET").ConfigureAwait(false);
            case 4:
                if (!HttpMethods.IsGet(method))
                {
                    return await MethodNotAllowedAsync(context, "GET").ConfigureAwait(false);
                }

                return TryKey(segments, out var key, out var error)
                    ? await ShowAsync(context, key).ConfigureAwait(false)
                    : await WriteAsync(context, StatusCodes.Status400BadRequest, error, Json.ErrorResponse).ConfigureAwait(false);
            case 5 when segments[4] is "populate" or "free":
                if (!HttpMethods.IsPost(method))
                {
                    return await MethodNotAllowedAsync(context, "POST").ConfigureAwait(false);
                }

                if (!TryKey(segments, out key, out error))
                {
                    return await WriteAsync(context, StatusCodes.Status400BadRequest, error, Json.ErrorResponse).ConfigureAwait(false);
                }

                return segments[4] == "populate"
                    ? await PopulateAsync(context, key).ConfigureAwait(false)
                    : await FreeAsync(context, key).ConfigureAwait(false);
            default:
                return await NotFoundAsync(context).ConfigureAwait(false);
        }
    }

    private async Task<int> ListAsync(HttpContext context)
    {
        var list = new List<PoolSummary>();
        foreach (var key in (await store.ListPoolsAsync().ConfigureAwait(false)).OrderBy(k => k.Id, StringComparer.Ordinal))
        {
            var snapshot = await store.ReadAsync(key).ConfigureAwait(false);
            var driver = await metadata.GetDriverAsync(key).ConfigureAwait(false);
            list.Add(new PoolSummary(key.Id, key.Host, key.ProjectId, key.NetworkId, driver, CountsOf(snapshot), BucketsOf(snapshot)));
        }

        return await WriteAsync(context, StatusCodes.Status200OK, new PoolList(list), Json.PoolList).ConfigureAwait(false);
    }

    private async Task<int> ShowAsync(HttpContext context, PoolKey key)
    {
        var snapshot = await store.ReadAsync(key).ConfigureAwait(false);
        if (snapshot.States.Count == 0 && !(await store.ListPoolsAsync().ConfigureAwait(false)).Contains(key))
        {
            return await PoolNotFoundAsync(context, key).ConfigureAwait(false);
        }

        var driver = await metadata.GetDriverAsync(key).ConfigureAwait(false);
        List<string> InState(PortState state) =>
            [.. snapshot.States.Where(s => s.Value == state).Select(s => s.Key).Order(StringComparer.Ordinal)];
        var ports = new PoolPorts(
            [.. snapshot.AvailableByBucket.OrderBy(b => b.Key, StringComparer.Ordinal)
                .Select(b => new BucketPorts(SecurityGroupSet.FromKey(b.Key).Ids, b.Value))],
            InState(PortState.Creating),
            [.. InState(PortState.Assigned).Select(id => new AssignedPort(id, snapshot.Owners.GetValueOrDefault(id)))],
            InState(PortState.Recyclable),
            InState(PortState.Deleting));
        var detail = new PoolDetail(key.Id, key.Host, key.ProjectId, key.NetworkId, driver, CountsOf(snapshot), BucketsOf(snapshot), ports);
        return await WriteAsync(context, StatusCodes.Status200OK, detail, Json.PoolDetail).ConfigureAwait(false);
    }

    private async Task<int> PopulateAsync(HttpContext context, PoolKey key)
    {
        var cancel = context.RequestAborted;
        var (body, bodyError) = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return await WriteAsync(context, StatusCodes.Status400BadRequest, bodyError!, Json.ErrorResponse).ConfigureAwait(false);
        }

        if (Validate(body) is { } invalid)
        {
            return await WriteAsync(context, StatusCodes.Status400BadRequest, invalid, Json.ErrorResponse).ConfigureAwait(false);
        }

        if (await RefusedAsync(context).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var nodeName = string.IsNullOrWhiteSpace(body.NodeName) ? key.Host : body.NodeName;
        IPoolDriver driver;
        try
        {
            var recorded = await metadata.GetDriverAsync(key).ConfigureAwait(false);
            driver = recorded is not null ? drivers.ByName(recorded) : await drivers.ForNodeAsync(nodeName, cancel).ConfigureAwait(false);
        }
        catch (PoolDriverException e)
        {
            return await WriteAsync(context, StatusCodes.Status400BadRequest, new ErrorResponse($"pool {key.Id}: no pool driver: {e.Message}", "nodeName"), Json.ErrorResponse).ConfigureAwait(false);
        }

        if (!driver.Pooled)
        {
            return await WriteAsync(context, StatusCodes.Status400BadRequest,
                new ErrorResponse($"pool {key.Id}: pool driver {driver.Name} keeps no pools (every pod gets a new port); nothing to populate", "nodeName"), Json.ErrorResponse).ConfigureAwait(false);
        }

        try
        {
            var subnet = await subnets.GetAsync(body.SubnetId!, cancel).ConfigureAwait(false);
            if (subnet.Subnet.NetworkId != key.NetworkId)
            {
                return await WriteAsync(context, StatusCodes.Status400BadRequest,
                    new ErrorResponse($"subnet {body.SubnetId} belongs to network {subnet.Subnet.NetworkId}, not to the pool's network {key.NetworkId}", "subnetId"), Json.ErrorResponse).ConfigureAwait(false);
            }
        }
        catch (NeutronNotFoundException)
        {
            return await WriteAsync(context, StatusCodes.Status400BadRequest, new ErrorResponse($"subnet {body.SubnetId} does not exist in Neutron", "subnetId"), Json.ErrorResponse).ConfigureAwait(false);
        }

        var target = new PoolTarget(key, driver.Name, nodeName, body.SubnetId!, new SecurityGroupSet(body.SecurityGroups ?? []));
        try
        {
            var created = await pools.PopulateAsync(target, body.Ports!.Value, cancel).ConfigureAwait(false);
            LogPopulated(key.Id, driver.Name, body.Ports.Value, created);
            return await WriteAsync(context, StatusCodes.Status200OK, new PopulateResult(key.Id, driver.Name, created), Json.PopulateResult).ConfigureAwait(false);
        }
        catch (PoolsNotReadyException e)
        {
            return await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new ErrorResponse(e.Message), Json.ErrorResponse).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NeutronException or PoolDriverException)
        {
            return await WriteAsync(context, StatusCodes.Status502BadGateway, new ErrorResponse($"pool {key.Id}: population failed: {e.Message}"), Json.ErrorResponse).ConfigureAwait(false);
        }
    }

    private async Task<int> FreeAsync(HttpContext context, PoolKey key)
    {
        if (await RefusedAsync(context).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var snapshot = await store.ReadAsync(key).ConfigureAwait(false);
        if (snapshot.States.Count == 0 && !(await store.ListPoolsAsync().ConfigureAwait(false)).Contains(key))
        {
            return await PoolNotFoundAsync(context, key).ConfigureAwait(false);
        }

        try
        {
            var deleted = await pools.FreePoolAsync(key, context.RequestAborted).ConfigureAwait(false);
            LogFreed(key.Id, deleted);
            return await WriteAsync(context, StatusCodes.Status200OK, new FreeResult(key.Id, deleted), Json.FreeResult).ConfigureAwait(false);
        }
        catch (PoolsNotReadyException e)
        {
            return await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new ErrorResponse(e.Message), Json.ErrorResponse).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NeutronException or PoolDriverException)
        {
            return await WriteAsync(context, StatusCodes.Status502BadGateway, new ErrorResponse($"pool {key.Id}: free failed: {e.Message}"), Json.ErrorResponse).ConfigureAwait(false);
        }
    }

    /// <summary>503 when this process may not change pools (not the leader, or not recovered).</summary>
    private async Task<int?> RefusedAsync(HttpContext context)
    {
        if (!gate.AllowsChanges)
        {
            return await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new ErrorResponse(gate.Refusal), Json.ErrorResponse).ConfigureAwait(false);
        }

        if (!pools.IsReady)
        {
            return await WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                new ErrorResponse("ports pools are not recovered yet (kuryr-controller is starting or rebuilding them from Neutron); retry later"), Json.ErrorResponse).ConfigureAwait(false);
        }

        return null;
    }

    private static async Task<(PopulateRequest? Body, ErrorResponse? Error)> ReadBodyAsync(HttpContext context)
    {
        const string Expected = "expected a JSON object {\"ports\": N, \"subnetId\": \"...\", \"nodeName\": \"...\", \"securityGroups\": [...]}";
        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            return (null, new ErrorResponse($"request body refused: {e.Message}"));
        }

        if (buffer.Length == 0)
        {
            return (null, new ErrorResponse($"request body is empty; {Expected}"));
        }

        try
        {
            var body = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Json.PopulateRequest);
            return body is null ? (null, new ErrorResponse($"request body is null; {Expected}")) : (body, null);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
            return (null, new ErrorResponse($"request body is not valid: {e.Message}", field));
        }
    }

    private static ErrorResponse? Validate(PopulateRequest body)
    {
        if (body.Ports is not { } ports)
        {
            return new ErrorResponse($"ports is required: the number of ports to create (1..{MaxPortsPerPopulate})", "ports");
        }

        if (ports is < 1 or > MaxPortsPerPopulate)
        {
            return new ErrorResponse($"ports must be between 1 and {MaxPortsPerPopulate}, got {ports}", "ports");
        }

        if (string.IsNullOrWhiteSpace(body.SubnetId))
        {
            return new ErrorResponse("subnetId is required: the subnet the ports' fixed IPs come from", "subnetId");
        }

        if (body.NodeName is not null && string.IsNullOrWhiteSpace(body.NodeName))
        {
            return new ErrorResponse("nodeName must not be empty (omit it to use the pool's host)", "nodeName");
        }

        if (body.SecurityGroups is { } groups && groups.Any(g => string.IsNullOrWhiteSpace(g) || g.Contains(',', StringComparison.Ordinal)))
        {
            return new ErrorResponse("securityGroups must hold security group ids (non-empty, without ',')", "securityGroups");
        }

        return null;
    }

    private static bool TryKey(string[] segments, out PoolKey key, out ErrorResponse error)
    {
        try
        {
            key = new PoolKey(segments[1], segments[2], segments[3]);
            error = null!;
            return true;
        }
        catch (ArgumentException e)
        {
            key = null!;
            error = new ErrorResponse($"invalid pool id in the path: {e.Message}", e.ParamName);
            return false;
        }
    }

    private static PoolCounts CountsOf(PoolSnapshot snapshot) => new(
        snapshot.Count(PortState.Creating),
        snapshot.Count(PortState.Available),
        snapshot.Count(PortState.Assigned),
        snapshot.Count(PortState.Recyclable),
        snapshot.Count(PortState.Deleting),
        snapshot.States.Count);

    private static List<BucketSummary> BucketsOf(PoolSnapshot snapshot) =>
        [.. snapshot.AvailableByBucket.Where(b => b.Value.Count > 0).OrderBy(b => b.Key, StringComparer.Ordinal)
            .Select(b => new BucketSummary(SecurityGroupSet.FromKey(b.Key).Ids, b.Value.Count))];

    private static Task<int> PoolNotFoundAsync(HttpContext context, PoolKey key) =>
        WriteAsync(context, StatusCodes.Status404NotFound, new ErrorResponse($"pool {key.Id} not found"), Json.ErrorResponse);

    private static Task<int> NotFoundAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status404NotFound,
            new ErrorResponse($"no such endpoint: {context.Request.Method} {context.Request.Path}; endpoints: GET /pools, GET /pools/HOST/PROJECT/NETWORK, POST /pools/HOST/PROJECT/NETWORK/populate, POST /pools/HOST/PROJECT/NETWORK/free"),
            Json.ErrorResponse);

    private static Task<int> MethodNotAllowedAsync(HttpContext context, string allowed)
    {
        context.Response.Headers.Allow = allowed;
        return WriteAsync(context, StatusCodes.Status405MethodNotAllowed,
            new ErrorResponse($"{context.Request.Method} is not allowed on {context.Request.Path}; use {allowed}"), Json.ErrorResponse);
    }

    private static async Task<int> WriteAsync<T>(HttpContext context, int status, T body, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, type, context.RequestAborted).ConfigureAwait(false);
        return status;
    }
}
