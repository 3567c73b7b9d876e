namespace Kuryr.LocalCluster.Scenario;

/// <summary>Which pod pings which.</summary>
public static class PingPlan
{
    /// <summary>The ping pairs: every networked pod pings the next pod of its own node and the pod with the same index on the next node.</summary>
    public static IReadOnlyList<(int From, int To)> Pairs(IReadOnlyList<(string Node, bool Networked)> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var byNode = pods.Select((p, i) => (p, i)).Where(x => x.p.Networked).GroupBy(x => x.p.Node).Select(g => g.Select(x => x.i).ToList()).ToList();
        var pairs = new List<(int, int)>();
        for (var n = 0; n < byNode.Count; n++)
        {
            var own = byNode[n];
            var next = byNode[(n + 1) % byNode.Count];
            for (var k = 0; k < own.Count; k++)
            {
                if (own.Count > 1)
                {
                    pairs.Add((own[k], own[(k + 1) % own.Count]));
                }

                if (byNode.Count > 1)
                {
                    pairs.Add((own[k], next[k % next.Count]));
                }
            }
        }

        return pairs;
    }
}
