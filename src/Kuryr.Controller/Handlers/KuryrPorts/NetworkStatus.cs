using System.Text.Json.Nodes;
using Kuryr.Vifs;

namespace Kuryr.Controller.Handlers.KuryrPorts;

/// <summary>Builds the pod's <c>k8s.v1.cni.cncf.io/network-status</c> annotation from status.vifs.</summary>
internal static class NetworkStatus
{
    /// <summary>The default network's name, as Kuryr's NPWG support names it.</summary>
    public const string DefaultNetworkName = "kuryr";

    /// <summary>One entry per interface, eth0 first then by interface number. Additional networks are named
    /// after their NAD (<see cref="VifSource.Network"/>), else after the Neutron network (os-vif's Subnet carries no id).</summary>
    public static List<NetworkStatusEntry> Build(JsonObject vifs, IReadOnlyDictionary<string, VifSource> sources)
    {
        var result = new List<NetworkStatusEntry>();
        foreach (var (ifname, entry) in vifs.OrderBy(kv => kv.Key, InterfaceOrder.Instance))
        {
            if (entry?["vif"] is not JsonObject envelope)
            {
                continue;
            }

            var vif = VifJson.FromNode(envelope, $"status.vifs.{ifname}.vif");
            var isDefault = entry["default"] is JsonValue d && d.TryGetValue<bool>(out var b) && b;
            var subnets = vif.Network?.Subnets?.Items ?? [];
            var ips = subnets.SelectMany(s => s.Ips?.Items ?? []).Select(ip => ip.Address).OfType<string>().ToList();
            var dns = subnets.SelectMany(s => s.Dns ?? []).Distinct(StringComparer.Ordinal).ToList();
            var name = isDefault
                ? DefaultNetworkName
                : sources.GetValueOrDefault(ifname)?.Network ?? vif.Network?.Id ?? ifname;
            result.Add(new NetworkStatusEntry(name, ifname, ips, vif.Address, isDefault, new NetworkStatusDns(dns.Count > 0 ? dns : null)));
        }

        return result;
    }

    /// <summary>eth0 &lt; eth1 &lt; eth2 &lt; eth10: shorter names first, then ordinal.</summary>
    internal sealed class InterfaceOrder : IComparer<string>
    {
        public static readonly InterfaceOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var byLength = (x?.Length ?? 0).CompareTo(y?.Length ?? 0);
            return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
        }
    }
}
