using FsCheck;
using FsCheck.Fluent;
using Kuryr.Netlink.Rtnl.Model;
using Kuryr.Netlink.Rtnl.Protocol;

namespace Kuryr.Netlink.Tests.Rtnl.Protocol;

public sealed class NetlinkParserPropertyTests
{
    private static readonly Config Config = FsCheck.Config.QuickThrowOnFailure.WithMaxTest(2000);

    [Fact]
    public void Parsers_on_random_bytes_throw_nothing_but_NetlinkFormatException()
    {
        Check.One(Config, Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            ParseEverything(bytes);
            return true;
        }));
    }

    [Fact]
    public void Parsers_on_mutated_real_messages_throw_nothing_but_NetlinkFormatException()
    {
        // Random bytes rarely get past the first length check; flipping bytes of valid messages does.
        byte[][] seeds =
        [
            RtnlRequests.CreateVeth(1, "vh0", "vp0", 4, new LinkOptions(1400, null)),
            RtnlRequests.CreateVlan(1, "v.100", 3, 100),
            RtnlRequests.AddAddress(1, 3, System.Net.IPAddress.Parse("fd00::1"), 64, noDad: true),
            RtnlRequests.AddRoute(1, RouteSpec.DefaultVia(System.Net.IPAddress.Parse("10.0.0.1"), 3)),
        ];
        Arbitrary<(int Seed, int Position, byte Value, int Cut)> mutations = ArbMap.Default.ArbFor<(int, int, byte, int)>();
        Check.One(Config, Prop.ForAll(mutations, m =>
        {
            byte[] seed = seeds[(int)((uint)m.Seed % (uint)seeds.Length)];
            byte[] bytes = (byte[])seed.Clone();
            bytes[(int)((uint)m.Position % (uint)bytes.Length)] = m.Value;
            bytes = bytes[..(int)((uint)m.Cut % (uint)(bytes.Length + 1))];
            ParseEverything(bytes);
            return true;
        }));
    }

    [Fact]
    public void A_valid_message_parses_back_to_what_was_written()
    {
        byte[] request = RtnlRequests.CreateVeth(7, "vh0", "vp0", 4, new LinkOptions(1400, System.Net.NetworkInformation.PhysicalAddress.Parse("02-00-00-00-00-01")));
        var reader = new NetlinkMessageReader(request);
        Assert.True(reader.TryRead(out NetlinkMessage message));
        Assert.Equal(7u, message.Sequence);
        LinkInfo link = RtnlParsers.ParseLink(message.Payload);
        Assert.Equal("vh0", link.Name);
        Assert.Equal(1400, link.Mtu);
        Assert.Equal("veth", link.Kind);
        Assert.Equal("020000000001", link.MacAddress!.ToString());
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Attribute_longer_than_its_buffer_is_a_format_error()
    {
        byte[] payload = new byte[16 + 8];
        payload[16] = 40; // nla_len 40 but only 8 bytes left
        payload[18] = 3;
        Assert.Throws<NetlinkFormatException>(() => RtnlParsers.ParseLink(payload));
    }

    private static void ParseEverything(byte[] bytes)
    {
        Try(() =>
        {
            var reader = new NetlinkMessageReader(bytes);
            while (reader.TryRead(out NetlinkMessage message))
            {
                _ = message.Type;
            }
        });
        Try(() => RtnlParsers.ParseLink(bytes));
        Try(() => RtnlParsers.ParseAddress(bytes));
        Try(() => RtnlParsers.ParseRoute(bytes));
        Try(() => RtnlParsers.ParseError(bytes, Nlmsg.F_ACK_TLVS));
        Try(() => RtnlParsers.ParseError(bytes, Nlmsg.F_ACK_TLVS | Nlmsg.F_CAPPED));
        if (bytes.Length > 16)
        {
            // The same bytes as a message payload (the parsers see payloads after the header).
            Try(() => RtnlParsers.ParseLink(bytes.AsSpan(16)));
            Try(() => RtnlParsers.ParseAddress(bytes.AsSpan(16)));
            Try(() => RtnlParsers.ParseRoute(bytes.AsSpan(16)));
        }
    }

    private static void Try(Func<object?> parse)
    {
        try
        {
            _ = parse();
        }
        catch (NetlinkFormatException)
        {
        }
    }

    private static void Try(Action parse) => Try(() =>
    {
        parse();
        return null;
    });
}
