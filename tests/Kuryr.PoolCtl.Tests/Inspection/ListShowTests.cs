using System.Text.Json;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Testing.TestBed;

namespace Kuryr.PoolCtl.Tests.Inspection;

/// <summary><c>list</c> and <c>show</c> read pools made by the real pool code straight from the real Redis.</summary>
[Collection(Collection)]
public sealed class ListShowTests(RedisTestBed redis) : PoolCtlTestBase(redis), IClassFixture<RedisTestBed>
{
    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task List_prints_every_pool_with_driver_buckets_assigned_and_last_populate_as_a_table_and_as_json()
    {
        var sg = await Project.Admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = "knpc-sg", ProjectId = Project.ProjectId });
        await using var bed = await StartAsync();
        Assert.Equal(2, await bed.PopulateAsync(2));
        Assert.Equal(1, await bed.PopulateAsync(1, sg.Id));
        var taken = await bed.TakeAsync("pod-a", sg.Id);

        var json = await bed.RunAsync("list", "--output", "json");

        Assert.Equal(0, json.Code);
        Assert.Equal("", json.Err);
        using var doc = JsonDocument.Parse(json.Out);
        var pool = Assert.Single(doc.RootElement.GetProperty("pools").EnumerateArray());
        Assert.Equal(bed.Pool.Id, pool.GetProperty("id").GetString());
        Assert.Equal(Host, pool.GetProperty("host").GetString());
        Assert.Equal(Project.ProjectId, pool.GetProperty("projectId").GetString());
        Assert.Equal(Network.Id, pool.GetProperty("networkId").GetString());
        Assert.Equal("neutron", pool.GetProperty("driver").GetString());
        var counts = pool.GetProperty("counts");
        Assert.Equal(2, counts.GetProperty("available").GetInt32());
        Assert.Equal(1, counts.GetProperty("assigned").GetInt32());
        Assert.Equal(0, counts.GetProperty("recyclable").GetInt32());
        Assert.Equal(0, counts.GetProperty("creating").GetInt32());
        Assert.Equal(0, counts.GetProperty("deleting").GetInt32());
        Assert.Equal(3, counts.GetProperty("total").GetInt32());
        var buckets = pool.GetProperty("buckets").EnumerateArray()
            .ToDictionary(b => string.Join(',', Strings(b.GetProperty("securityGroups"))), b => b.GetProperty("available").GetInt32());
        Assert.Equal(0, buckets.GetValueOrDefault(sg.Id));
        var defaultBucket = Assert.Single(buckets, b => b.Key != sg.Id);
        Assert.Equal(2, defaultBucket.Value);
        var bucketCell = string.Join("; ", buckets.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}: {b.Value}"));
        var last = pool.GetProperty("lastPopulate");
        Assert.Equal(PoolCtlBed.Now, last.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(PoolCtlBed.Now.ToUnixTimeMilliseconds(), last.GetProperty("unixMs").GetInt64());
        Assert.Equal(1, last.GetProperty("created").GetInt32());

        var table = await bed.RunAsync("list");

        Assert.Equal(0, table.Code);
        var lines = table.Out.Split('\n');
        Assert.Contains(lines, l => l.Contains("POOL (HOST/PROJECT/NETWORK)", StringComparison.Ordinal) && l.Contains("LAST POPULATE", StringComparison.Ordinal));
        var row = Assert.Single(lines, l => l.Contains(bed.Pool.Id, StringComparison.Ordinal));
        var cells = row.Split('|', StringSplitOptions.TrimEntries)[1..^1];
        Assert.Equal(
            [bed.Pool.Id, "neutron", $"2 ({bucketCell})", "1", "0", "0/0", "2026-05-06 07:08:09Z (+1)"],
            cells);
        Assert.DoesNotContain('\u001b', table.Out);
        Assert.NotNull(taken);
    }

    [Fact]
    public async Task Show_prints_counts_buckets_port_ids_per_state_and_the_owner_of_each_assigned_port()
    {
        await using var bed = await StartAsync();
        Assert.Equal(3, await bed.PopulateAsync(3));
        var taken = await bed.TakeAsync("pod-b");
        var neutronPorts = (await Project.ListPortsAsync(Network.Id)).Select(p => p.Id).ToHashSet();

        var json = await bed.RunAsync("show", bed.Pool.Id, "-o", "json");

        Assert.Equal(0, json.Code);
        using var doc = JsonDocument.Parse(json.Out);
        var root = doc.RootElement;
        Assert.Equal(bed.Pool.Id, root.GetProperty("id").GetString());
        Assert.Equal(2, root.GetProperty("counts").GetProperty("available").GetInt32());
        var ports = root.GetProperty("ports");
        var bucket = Assert.Single(ports.GetProperty("available").EnumerateArray());
        var available = Strings(bucket.GetProperty("portIds"));
        Assert.Equal(2, available.Length);
        var assigned = Assert.Single(ports.GetProperty("assigned").EnumerateArray());
        Assert.Equal(taken.PortId, assigned.GetProperty("portId").GetString());
        Assert.StartsWith("ns1/pod-b/", assigned.GetProperty("owner").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/eth0", assigned.GetProperty("owner").GetString(), StringComparison.Ordinal);
        Assert.Equal(neutronPorts.Order(), available.Append(taken.PortId).Order());
        Assert.Empty(ports.GetProperty("recyclable").EnumerateArray());
        Assert.Equal(3, root.GetProperty("lastPopulate").GetProperty("created").GetInt32());

        var table = await bed.RunAsync("show", bed.Pool.Id);

        Assert.Equal(0, table.Code);
        var lines = table.Out.Split('\n');
        Assert.Contains(lines, l => l.Contains("| driver ", StringComparison.Ordinal) && l.Contains("neutron", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("| assigned ", StringComparison.Ordinal) && l.Contains(taken.PortId, StringComparison.Ordinal)
            && l.Contains("ns1/pod-b/", StringComparison.Ordinal));
        Assert.All(available, id => Assert.Contains(lines, l => l.Contains("| available ", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal)));
    }
}
