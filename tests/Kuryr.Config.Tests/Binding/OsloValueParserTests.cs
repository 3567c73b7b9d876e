using Kuryr.Config.Binding;

namespace Kuryr.Config.Tests.Binding;

public sealed class OsloValueParserTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("Yes", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData(" false ", false)]
    [InlineData("No", false)]
    [InlineData("OFF", false)]
    [InlineData("0", false)]
    public void Booleans_accept_oslo_spellings_in_any_case(string raw, bool expected)
    {
        Assert.True(OsloValueParser.TryParseBoolean(raw, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("y")]
    [InlineData("enabled")]
    [InlineData("2")]
    public void Other_booleans_are_rejected(string raw) => Assert.False(OsloValueParser.TryParseBoolean(raw, out _));

    [Theory]
    [InlineData(" 42 ", 42)]
    [InlineData("-1", -1)]
    [InlineData("+7", 7)]
    public void Integers_are_trimmed(string raw, int expected)
    {
        Assert.True(OsloValueParser.TryParseInteger(raw, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("99999999999")]
    [InlineData("ten")]
    public void Non_integers_are_rejected(string raw) => Assert.False(OsloValueParser.TryParseInteger(raw, out _));

    [Theory]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("")]
    public void Non_finite_floats_are_rejected(string raw) => Assert.False(OsloValueParser.TryParseFloat(raw, out _));

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("  ", new string[0])]
    [InlineData("a", new[] { "a" })]
    [InlineData(" a , b ,c", new[] { "a", "b", "c" })]
    [InlineData("a,b,", new[] { "a", "b" })]
    [InlineData("a,,b", new[] { "a", "", "b" })]
    [InlineData("vif,\nkuryrport", new[] { "vif", "kuryrport" })]
    public void Lists_split_at_commas_with_items_trimmed(string raw, string[] expected) =>
        Assert.Equal(expected, OsloValueParser.ParseList(raw));

    [Fact]
    public void Dicts_split_pairs_at_the_first_colon()
    {
        Assert.Null(OsloValueParser.TryParseDict(" nested-vlan : nested , neutron-vif:neutron,url:http://x:1", out var dict));
        Assert.Equal(new Dictionary<string, string> { ["nested-vlan"] = "nested", ["neutron-vif"] = "neutron", ["url"] = "http://x:1" }, dict);
        Assert.Null(OsloValueParser.TryParseDict("", out var empty));
        Assert.Empty(empty);
    }

    [Theory]
    [InlineData("a:1,b", "pair \"b\" has no ':'")]
    [InlineData(":1", "pair \":1\" has an empty key")]
    [InlineData("a:1,a:2", "duplicate key \"a\"")]
    public void Bad_dicts_say_why(string raw, string reason) =>
        Assert.Equal(reason, OsloValueParser.TryParseDict(raw, out _));
}
