using Kuryr.Neutron.Ports;
using Kuryr.Pools.Drivers.Macvlan;

namespace Kuryr.Pools.Tests.Drivers.Macvlan;

/// <summary>The pure pair edits (no Neutron needed).</summary>
public sealed class AddressPairsTests
{
    private static AllowedAddressPair P(string ip, string? mac) => new() { IpAddress = ip, MacAddress = mac };

    [Fact]
    public void Bug_kuryr_re_adding_a_present_pair_is_a_no_op_not_an_integrity_error()
    {
        // Kuryr compared the MACs with `is`, so a pair already there raised IntegrityError.
        var current = new[] { P("10.0.0.5", "FA:16:3E:00:00:01") };
        var replaced = new List<AllowedAddressPair>();

        Assert.Null(AddressPairs.Add(current, [new AddressPairs.Pair("10.0.0.5", "fa:16:3e:00:00:01")], replaced));
        Assert.Empty(replaced);
    }

    [Fact]
    public void A_pair_holding_the_ip_with_another_mac_is_replaced_and_reported()
    {
        var current = new[] { P("10.0.0.5", "fa:16:3e:00:00:99"), P("10.0.0.6", null) };
        var replaced = new List<AllowedAddressPair>();

        var next = AddressPairs.Add(current, [new AddressPairs.Pair("10.0.0.5", "fa:16:3e:00:00:01")], replaced);

        Assert.NotNull(next);
        Assert.Equal(["10.0.0.6", "10.0.0.5"], next.Select(p => p.IpAddress));
        Assert.Equal("fa:16:3e:00:00:01", next[1].MacAddress);
        Assert.Equal("fa:16:3e:00:00:99", Assert.Single(replaced).MacAddress);
    }

    [Fact]
    public void Remove_takes_only_exact_ip_and_mac_matches_and_is_null_when_nothing_matches()
    {
        var current = new[] { P("10.0.0.5", "fa:16:3e:00:00:01"), P("10.0.0.5", "fa:16:3e:00:00:02"), P("10.0.0.7", "fa:16:3e:00:00:01") };

        var next = AddressPairs.Remove(current, [new AddressPairs.Pair("10.0.0.5", "FA:16:3E:00:00:01")]);

        Assert.NotNull(next);
        Assert.Equal(2, next.Count);
        Assert.DoesNotContain(next, p => p.IpAddress == "10.0.0.5" && p.MacAddress == "fa:16:3e:00:00:01");
        Assert.Null(AddressPairs.Remove(next, [new AddressPairs.Pair("10.0.0.9", "fa:16:3e:00:00:01")]));
    }

    [Fact]
    public void A_port_without_a_fixed_ip_has_no_pair_and_says_so()
    {
        var e = Assert.Throws<Kuryr.Pools.Drivers.PoolDriverException>(() => AddressPairs.Of(new Port { Id = "p1", MacAddress = "fa:16:3e:00:00:01" }));

        Assert.Contains("p1", e.Message, StringComparison.Ordinal);
        Assert.Contains("fixed IP", e.Message, StringComparison.Ordinal);
    }
}
