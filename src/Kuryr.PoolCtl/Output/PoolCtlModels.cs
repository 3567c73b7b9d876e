using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kuryr.PoolCtl.Output;

/// <summary>Ports per state of one pool, counted from the pool's state HASH.</summary>
internal sealed record CountsView(int Creating, int Available, int Assigned, int Recyclable, int Deleting, int Total);

/// <summary>Available ports of one security-group bucket.</summary>
internal sealed record BucketView(IReadOnlyList<string> SecurityGroups, int Available);

/// <summary>The last population: when it finished and how many ports it created.</summary>
internal sealed record LastPopulateView(DateTimeOffset At, long UnixMs, int Created);

/// <summary>One pool of <c>list</c>.</summary>
internal sealed record PoolView(
    string Id, string Host, string ProjectId, string NetworkId, string? Driver, CountsView Counts, IReadOnlyList<BucketView> Buckets, LastPopulateView? LastPopulate);

/// <summary>Output of <c>list</c> (and each refresh of <c>watch</c>).</summary>
internal sealed record PoolListView(IReadOnlyList<PoolView> Pools);

/// <summary>Available port ids of one bucket, least recently used first.</summary>
internal sealed record BucketPortsView(IReadOnlyList<string> SecurityGroups, IReadOnlyList<string> PortIds);

/// <summary>An assigned port and its owner (<c>namespace/pod/uid/ifname</c>).</summary>
internal sealed record AssignedPortView(string PortId, string? Owner);

/// <summary>Port ids per state.</summary>
internal sealed record PortsView(
    IReadOnlyList<BucketPortsView> Available,
    IReadOnlyList<string> Creating,
    IReadOnlyList<AssignedPortView> Assigned,
    IReadOnlyList<string> Recyclable,
    IReadOnlyList<string> Deleting);

/// <summary>Output of <c>show POOL</c>.</summary>
internal sealed record PoolDetailView(
    string Id, string Host, string ProjectId, string NetworkId, string? Driver, CountsView Counts, IReadOnlyList<BucketView> Buckets, LastPopulateView? LastPopulate, PortsView Ports);

/// <summary>One interface of a pod on a node.</summary>
internal sealed record VifView(
    string Namespace, string Pod, string PodUid, string Ifname, bool Default, string? PortId, string? Mac, IReadOnlyList<string> Ips, string VifType, bool? Active);

/// <summary>Output of <c>vifs --node NODE</c>.</summary>
internal sealed record NodeVifsView(string Node, IReadOnlyList<VifView> Vifs);

/// <summary>Output of <c>populate</c>.</summary>
internal sealed record PopulateView(string Pool, string Driver, int Created);

/// <summary>Output of <c>free</c>.</summary>
internal sealed record FreeView(string Pool, int Deleted);

/// <summary>The stable JSON of <c>--output json</c> (camelCase, nulls written; docs/poolctl.md).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = true)]
[JsonSerializable(typeof(PoolListView))]
[JsonSerializable(typeof(PoolDetailView))]
[JsonSerializable(typeof(NodeVifsView))]
[JsonSerializable(typeof(PopulateView))]
[JsonSerializable(typeof(FreeView))]
internal sealed partial class PoolCtlJsonContext : JsonSerializerContext
{
    /// <summary>One line per document (each refresh of <c>watch --output json</c>).</summary>
    public static PoolCtlJsonContext Compact { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    });
}
