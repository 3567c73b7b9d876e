using Kuryr.Neutron.Ports;

namespace Kuryr.Pools.Drivers.Macvlan;

/// <summary>
/// The pure part of the VM port's <c>allowed_address_pairs</c> edits (Kuryr's
/// <c>_add_to_allowed_address_pairs</c> / <c>_remove_from_allowed_address_pairs</c>), done right:
/// adding a pair already present (same IP, same MAC) is a no-op instead of Kuryr's IntegrityError
/// (it compared the MACs with <c>is</c>), and MACs compare case-insensitively.
/// </summary>
internal static class AddressPairs
{
    /// <summary>An IP and the MAC allowed with it.</summary>
    internal sealed record Pair(string Ip, string Mac);

    /// <summary>The pairs of a port: one per fixed IP, all with the port's MAC.</summary>
    public static IReadOnlyList<Pair> Of(Port port)
    {
        ArgumentNullException.ThrowIfNull(port);
        if (string.IsNullOrEmpty(port.MacAddress))
        {
            throw new PoolDriverException($"port {port.Id} has no mac_address: nothing to allow on the VM port");
        }

        var ips = port.FixedIps.Where(ip => !string.IsNullOrEmpty(ip.IpAddress)).Select(ip => ip.IpAddress!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (ips.Count == 0)
        {
            throw new PoolDriverException($"port {port.Id} has no fixed IP: nothing to allow on the VM port");
        }

        return [.. ips.Select(ip => new Pair(ip, port.MacAddress))];
    }

    public static bool SameMac(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static bool Contains(IReadOnlyList<AllowedAddressPair> current, Pair pair) =>
        current.Any(p => string.Equals(p.IpAddress, pair.Ip, StringComparison.OrdinalIgnoreCase) && SameMac(p.MacAddress, pair.Mac));

    /// <summary>
    /// <paramref name="current"/> plus <paramref name="wanted"/>; null when every wanted pair is
    /// already there. A pair with the same IP and another MAC is REPLACED and reported in
    /// <paramref name="replaced"/>: Neutron just gave that IP to our port, so no live port holds it,
    /// and the old pair is a leftover of a port deleted without its pair (a stale pair would
    /// otherwise block the IP for good, as in Kuryr, which raised IntegrityError).
    /// </summary>
    public static List<AllowedAddressPair>? Add(IReadOnlyList<AllowedAddressPair> current, IEnumerable<Pair> wanted, List<AllowedAddressPair> replaced)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(replaced);
        var result = current.ToList();
        var changed = false;
        foreach (var pair in wanted)
        {
            if (Contains(result, pair))
            {
                continue;
            }

            foreach (var stale in result.Where(p => string.Equals(p.IpAddress, pair.Ip, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                result.Remove(stale);
                replaced.Add(stale);
            }

            result.Add(new AllowedAddressPair { IpAddress = pair.Ip, MacAddress = pair.Mac });
            changed = true;
        }

        return changed ? result : null;
    }

    /// <summary><paramref name="current"/> without the pairs matching <paramref name="gone"/> (IP and
    /// MAC); null when none of them is there (idempotent release).</summary>
    public static List<AllowedAddressPair>? Remove(IReadOnlyList<AllowedAddressPair> current, IEnumerable<Pair> gone)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(gone);
        var remove = gone.ToList();
        var result = current.Where(p => !remove.Any(g => string.Equals(p.IpAddress, g.Ip, StringComparison.OrdinalIgnoreCase) && SameMac(p.MacAddress, g.Mac))).ToList();
        return result.Count == current.Count ? null : result;
    }
}
