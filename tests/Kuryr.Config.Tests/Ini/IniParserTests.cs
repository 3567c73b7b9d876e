using FsCheck;
using FsCheck.Fluent;
using Kuryr.Config.Ini;

namespace Kuryr.Config.Tests.Ini;

public sealed class IniParserTests
{
    private static IniDocument Parse(string text) => IniParser.Parse(text, "kuryr.conf");

    [Fact]
    public void Reads_sections_and_both_assignment_forms()
    {
        var doc = Parse("[kubernetes]\npod_vif_driver = nested-vlan\n[vif_pool]\nports_pool_min: 3\n");

        Assert.Equal("nested-vlan", doc.GetLast("kubernetes", "pod_vif_driver")!.Value);
        Assert.Equal("3", doc.GetLast("vif_pool", "ports_pool_min")!.Value);
        Assert.Equal(4, doc.GetLast("vif_pool", "ports_pool_min")!.Line);
        Assert.Equal([("kubernetes", 1), ("vif_pool", 3)], doc.Sections);
    }

    [Fact]
    public void Splits_at_whichever_of_equals_and_colon_comes_first()
    {
        var doc = Parse("[s]\nmapping = nested-vlan:nested\nurl: http://x:80/a=b\n");

        Assert.Equal("nested-vlan:nested", doc.GetLast("s", "mapping")!.Value);
        Assert.Equal("http://x:80/a=b", doc.GetLast("s", "url")!.Value);
    }

    [Fact]
    public void Comment_lines_are_skipped_but_inline_hashes_belong_to_the_value()
    {
        var doc = Parse("# top\n[s]\n; semi\n#a = 1\nb = 2 # not a comment\n");

        Assert.Null(doc.GetLast("s", "a"));
        Assert.Equal("2 # not a comment", doc.GetLast("s", "b")!.Value);
        Assert.Single(doc.Entries);
    }

    [Fact]
    public void Indented_lines_continue_the_value_until_a_blank_line()
    {
        var doc = Parse("[kubernetes]\nenabled_handlers = vif,\n    kuryrport,\n\tnamespace\n\nnext = 1\n");

        Assert.Equal("vif,\nkuryrport,\nnamespace", doc.GetLast("kubernetes", "enabled_handlers")!.Value);
        Assert.Equal("1", doc.GetLast("kubernetes", "next")!.Value);
    }

    [Fact]
    public void Continuation_after_a_blank_line_is_an_error_with_its_line()
    {
        var ex = Assert.Throws<KuryrConfigException>(() => Parse("[s]\na = 1\n\n    orphan\n"));

        var p = Assert.Single(ex.Problems);
        Assert.Equal("kuryr.conf:4", p.Location);
        Assert.Contains("unexpected continuation line", p.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_is_an_ordinary_section()
    {
        var doc = Parse("[DEFAULT]\ndebug = true\n[kubernetes]\n");

        Assert.Equal("true", doc.GetLast("DEFAULT", "debug")!.Value);
        Assert.Null(doc.GetLast("kubernetes", "debug"));
    }

    [Fact]
    public void Repeated_keys_keep_every_value_and_the_last_wins()
    {
        var doc = Parse("[s]\nk = 1\nk = 2\n[t]\n[s]\nk = 3\n");

        Assert.Equal(["1", "2", "3"], doc.GetAll("s", "k").Select(e => e.Value));
        Assert.Equal("3", doc.GetLast("s", "k")!.Value);
        Assert.Equal(6, doc.GetLast("s", "k")!.Line);
    }

    [Theory]
    [InlineData("k = \"quoted\"", "quoted")]
    [InlineData("k = 'single'", "single")]
    [InlineData("k = \"  spaced  \"", "  spaced  ")]
    [InlineData("k = \"mixed'", "\"mixed'")]
    [InlineData("k = \"\"a\"\"", "\"a\"")]
    [InlineData("k = \"", "")]
    [InlineData("k =", "")]
    [InlineData("k = a \"b\"", "a \"b\"")]
    public void Strips_one_pair_of_matching_quotes_like_oslo(string line, string expected)
    {
        Assert.Equal(expected, Parse("[s]\n" + line + "\n").GetLast("s", "k")!.Value);
    }

    [Fact]
    public void Handles_crlf_cr_and_a_byte_order_mark()
    {
        var doc = Parse("\uFEFF[s]\r\na = 1\rb = 2\r\n");

        Assert.Equal("1", doc.GetLast("s", "a")!.Value);
        Assert.Equal("2", doc.GetLast("s", "b")!.Value);
        Assert.Equal(3, doc.GetLast("s", "b")!.Line);
    }

    [Fact]
    public void Keys_and_sections_are_case_insensitive_for_lookups()
    {
        Assert.Equal("1", Parse("[Vif_Pool]\nPorts_Pool_Min = 1\n").GetLast("vif_pool", "ports_pool_min")!.Value);
    }

    [Fact]
    public void Every_malformed_line_is_reported_with_file_and_line()
    {
        var text = string.Join('\n',
            "orphan = 1",          // 1: before any section
            "[kubernetes",         // 2: no closing bracket
            "[]",                  // 3: empty section name
            "[vif_pool]",          // 4
            "no assignment here",  // 5: no '=' or ':'
            " = value",            // 6: continuation of nothing (indented)
            "= value",             // 7: empty key
            "ok = 1");             // 8

        var ex = Assert.Throws<KuryrConfigException>(() => Parse(text));

        Assert.Equal(
            ["kuryr.conf:1", "kuryr.conf:2", "kuryr.conf:3", "kuryr.conf:5", "kuryr.conf:6", "kuryr.conf:7"],
            ex.Problems.Select(p => p.Location));
        Assert.Contains("section must be started before assignment", ex.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("must end with ']'", ex.Problems[1].Reason, StringComparison.Ordinal);
        Assert.Contains("empty section name", ex.Problems[2].Reason, StringComparison.Ordinal);
        Assert.Contains("no '=' or ':'", ex.Problems[3].Reason, StringComparison.Ordinal);
        Assert.Contains("key cannot be empty", ex.Problems[5].Reason, StringComparison.Ordinal);
        Assert.Contains("\"no assignment here\"", ex.Problems[3].Reason, StringComparison.Ordinal);
        Assert.All(ex.Problems, p => Assert.Contains(p.Location, ex.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Never_throws_anything_but_the_config_exception_on_arbitrary_text()
    {
        var chars = Gen.Elements('[', ']', '=', ':', '#', ';', ' ', '\t', '\n', '\r', '"', '\'', 'a', 'b', '_', '1', '\uFEFF', '\0', 'é');
        var texts = Gen.ArrayOf(chars).Select(cs => new string(cs)).ToArbitrary();

        Check.QuickThrowOnFailure(Prop.ForAll(texts, text =>
        {
            try
            {
                var doc = Parse(text);
                // Whatever parses has keys and sections without surrounding whitespace or line breaks.
                return doc.Entries.All(e => e.Key.Length > 0 && e.Key == e.Key.Trim() && !e.Key.Contains('\n', StringComparison.Ordinal));
            }
            catch (KuryrConfigException ex)
            {
                return ex.Problems.Count > 0;
            }
        }));
    }
}
