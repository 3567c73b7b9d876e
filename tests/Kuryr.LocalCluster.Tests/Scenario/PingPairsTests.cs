using Kuryr.LocalCluster.Scenario;

namespace Kuryr.LocalCluster.Tests.Scenario;

public sealed class PingPairsTests
{
    [Fact]
    public void Every_pod_pings_within_its_node_and_across()
    {
        var pods = new[] { ("a", true), ("a", true), ("b", true), ("b", true) };
        var pairs = PingPlan.Pairs(pods);
        Assert.Equal(8, pairs.Count);
        Assert.Contains((0, 1), pairs);
        Assert.Contains((0, 2), pairs);
        Assert.Contains((3, 2), pairs);
        Assert.Contains((3, 1), pairs);
        Assert.All(pairs, p => Assert.NotEqual(p.From, p.To));
    }

    [Fact]
    public void Pods_without_network_are_left_out()
    {
        var pairs = PingPlan.Pairs([("a", true), ("a", false), ("b", true)]);
        Assert.DoesNotContain(pairs, p => p.From == 1 || p.To == 1);
        Assert.Equal([(0, 2), (2, 0)], pairs);
    }

    [Fact]
    public void One_node_pings_only_within_it() =>
        Assert.Equal([(0, 1), (1, 0)], PingPlan.Pairs([("a", true), ("a", true)]));

    [Fact]
    public void Nothing_networked_nothing_to_ping() => Assert.Empty(PingPlan.Pairs([("a", false)]));
}
