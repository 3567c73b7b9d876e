using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Kuryr.Ovs.JsonRpc;
using Kuryr.Ovs.Ovsdb;

namespace Kuryr.Ovs.Tests.JsonRpc;

public sealed class JsonValueFramerTests
{
    private static List<string> Drain(JsonValueFramer framer)
    {
        var values = new List<string>();
        while (framer.TryReadValue(out var v))
        {
            values.Add(Encoding.UTF8.GetString(v.Span).Trim());
        }

        return values;
    }

    [Fact]
    public void Back_to_back_objects_without_separators_come_out_one_by_one()
    {
        var framer = new JsonValueFramer(1 << 20);
        framer.Append("{\"id\":1,\"result\":[]}{\"id\":2,\"result\":{\"a\":\"}{\"}}\n {\"id\":3}"u8);
        Assert.Equal(["{\"id\":1,\"result\":[]}", "{\"id\":2,\"result\":{\"a\":\"}{\"}}", "{\"id\":3}"], Drain(framer));
        Assert.Equal(0, framer.PendingBytes);
    }

    [Fact]
    public void A_value_split_inside_a_string_escape_and_a_multibyte_character_waits_for_the_rest()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"s\":\"a\\\"b\\u00e9é€\",\"n\":12345}");
        var framer = new JsonValueFramer(1 << 20);
        var values = new List<string>();
        foreach (var b in bytes)
        {
            framer.Append([b]);
            values.AddRange(Drain(framer));
        }

        var only = Assert.Single(values);
        Assert.Equal("a\"béé€", JsonDocument.Parse(only).RootElement.GetProperty("s").GetString());
    }

    [Fact]
    public void Malformed_json_is_a_protocol_error()
    {
        var framer = new JsonValueFramer(1 << 20);
        framer.Append("{\"id\":1,]"u8);
        var ex = Assert.Throws<OvsdbProtocolException>(() => framer.TryReadValue(out _));
        Assert.Contains("malformed JSON", ex.Message);
    }

    [Fact]
    public void A_value_that_never_ends_is_cut_at_the_size_limit()
    {
        var framer = new JsonValueFramer(1024);
        framer.Append("{\"a\":\""u8);
        Assert.False(framer.TryReadValue(out _));
        framer.Append(Encoding.UTF8.GetBytes(new string('x', 2000)));
        var ex = Assert.Throws<OvsdbProtocolException>(() => framer.TryReadValue(out _));
        Assert.Contains("exceeds 1024 bytes", ex.Message);
    }

    [Fact]
    public void Random_splits_of_a_valid_stream_decode_to_the_same_values()
    {
        var atom = Gen.OneOf(
            Gen.Elements("0", "-1", "3.5e2", "true", "false", "null", "\"\"", "\"x\\\"}{\"", "\"é€\\u0041\"", "[]", "{}", "[\"uuid\",\"0\"]"));
        var member = Gen.Zip(Gen.Elements("id", "result", "error", "é", "k\\\"ey"), atom).Select(t => $"\"{t.Item1}\":{t.Item2}");
        var obj = Gen.ListOf(member).Select(ms => "{" + string.Join(",", ms.Distinct()) + "}");
        var nested = obj.SelectMany(inner => Gen.Elements("{\"params\":[" + inner + "," + inner + "]}", inner, "{\"r\":{\"x\":" + inner + "}}"));
        var stream = Gen.NonEmptyListOf(Gen.Zip(nested, Gen.Elements("", " ", "\n", "\r\n\t")))
            .Select(list => list.Select(t => (t.Item1, t.Item2)).ToArray());
        var cases = Gen.Zip(stream, Gen.ListOf(Gen.Choose(1, 7))).ToArbitrary();

        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(cases, c =>
        {
            var (values, cutSizes) = c;
            var bytes = Encoding.UTF8.GetBytes(string.Concat(values.Select(v => v.Item1 + v.Item2)));
            var framer = new JsonValueFramer(1 << 20, initialCapacity: 8);
            var got = new List<string>();
            var offset = 0;
            var cuts = cutSizes.Count == 0 ? [bytes.Length] : cutSizes.ToArray();
            for (var i = 0; offset < bytes.Length; i++)
            {
                var n = Math.Min(cuts[i % cuts.Length], bytes.Length - offset);
                framer.Append(bytes.AsSpan(offset, n));
                offset += n;
                got.AddRange(Drain(framer));
            }

            Assert.Equal(values.Select(v => Normalize(v.Item1)), got.Select(Normalize));
        }));
    }

    private static string Normalize(string json) => JsonDocument.Parse(json).RootElement.GetRawText();
}
