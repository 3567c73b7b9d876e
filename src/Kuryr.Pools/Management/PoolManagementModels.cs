using System.Text.Json.Serialization;

namespace Kuryr.Pools.Management;

/// <summary>Body of <c>POST /pools/{host}/{project}/{network}/populate</c>.</summary>
public sealed class PopulateRequest
{
    /// <summary>How many ports to create (required, 1..<see cref="PoolManagementHandler.MaxPortsPerPopulate"/>).</summary>
    public int? Ports { get; set; }

    /// <summary>Subnet the ports' fixed IPs come from (required).</summary>
    public string? SubnetId { get; set; }

    /// <summary>The node the pool serves (driver selection, binding); defaults to the pool's host.</summary>
    public string? NodeName { get; set; }

    /// <summary>Security groups of the ports; empty or absent means the project's default group.</summary>
    public IList<string>? SecurityGroups { get; set; }
}

/// <summary>Ports per state of one pool (counted from the pool's sets, not its counters).</summary>
public sealed record PoolCounts(int Creating, int Available, int Assigned, int Recyclable, int Deleting, int Total);

/// <summary>Available ports of one security-group bucket.</summary>
public sealed record BucketSummary(IReadOnlyList<string> SecurityGroups, int Available);

/// <summary>One pool in <c>GET /pools</c>.</summary>
public sealed record PoolSummary(
    string Id, string Host, string ProjectId, string NetworkId, string? Driver, PoolCounts Counts, IReadOnlyList<BucketSummary> Buckets);

/// <summary><c>GET /pools</c>.</summary>
public sealed record PoolList(IReadOnlyList<PoolSummary> Pools);

/// <summary>Available port ids of one bucket, least recently used first.</summary>
public sealed record BucketPorts(IReadOnlyList<string> SecurityGroups, IReadOnlyList<string> PortIds);

/// <summary>A port held by a pod interface (<c>namespace/pod/uid/ifname</c>).</summary>
public sealed record AssignedPort(string PortId, string? Owner);

/// <summary>Port ids of one pool per state.</summary>
public sealed record PoolPorts(
    IReadOnlyList<BucketPorts> Available,
    IReadOnlyList<string> Creating,
    IReadOnlyList<AssignedPort> Assigned,
    IReadOnlyList<string> Recyclable,
    IReadOnlyList<string> Deleting);

/// <summary><c>GET /pools/{host}/{project}/{network}</c>.</summary>
public sealed record PoolDetail(
    string Id, string Host, string ProjectId, string NetworkId, string? Driver, PoolCounts Counts, IReadOnlyList<BucketSummary> Buckets, PoolPorts Ports);

/// <summary>Answer of a populate.</summary>
public sealed record PopulateResult(string Pool, string Driver, int Created);

/// <summary>Answer of a free.</summary>
public sealed record FreeResult(string Pool, int Deleted);

/// <summary>Every error body: a message, and the request field at fault when there is one.</summary>
public sealed record ErrorResponse(string Error, string? Field = null);

/// <summary>Source-generated JSON of the management API (camelCase; unknown request fields refused).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PopulateRequest))]
[JsonSerializable(typeof(PoolList))]
[JsonSerializable(typeof(PoolDetail))]
[JsonSerializable(typeof(PopulateResult))]
[JsonSerializable(typeof(FreeResult))]
[JsonSerializable(typeof(ErrorResponse))]
public sealed partial class PoolManagementJsonContext : JsonSerializerContext;
