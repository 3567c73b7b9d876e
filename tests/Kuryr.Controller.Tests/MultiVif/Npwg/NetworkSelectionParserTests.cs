using FsCheck;
using FsCheck.Fluent;
using Kuryr.Controller.MultiVif.Common;
using Kuryr.Controller.MultiVif.Npwg;

namespace Kuryr.Controller.Tests.MultiVif.Npwg;

public sealed class NetworkSelectionParserTests
{
    [Fact]
    public void Text_form_reads_name_namespace_and_interface()
    {
        var entries = NetworkSelectionParser.Parse(" net-a , other/net-b@data0,net-c@eth5 ", "pods");

        Assert.All(entries, e => Assert.Null(e.Problem));
        Assert.Equal(
            [new NetworkSelection("pods", "net-a", null), new NetworkSelection("other", "net-b", "data0"), new NetworkSelection("pods", "net-c", "eth5")],
            entries.Select(e => e.Value!));
    }

    [Fact]
    public void Json_form_reads_name_namespace_and_interface_and_ignores_other_npwg_keys()
    {
        var entries = NetworkSelectionParser.Parse(
            """[{"name":"net-a"},{"name":"net-b","namespace":"other","interface":"data0","ips":["10.0.0.5"],"mac":"02:00:00:00:00:01"}]""", "pods");

        Assert.Equal([new NetworkSelection("pods", "net-a", null), new NetworkSelection("other", "net-b", "data0")], entries.Select(e => e.Value!));
    }

    [Theory]
    [InlineData("a/b/c", "more than one '/'")]
    [InlineData("ns/", "empty network name")]
    [InlineData("/net", "empty namespace")]
    [InlineData("net@", "interface name is empty")]
    [InlineData("net@averyveryverylongname", "longer than 15 bytes")]
    [InlineData("net@a:b", "contains ':'")]
    [InlineData("net@..", "not allowed")]
    [InlineData("Net_A", "not a valid object name")]
    [InlineData("NS/net", "not a valid namespace name")]
    public void Bad_text_entries_are_refused_with_the_problem_while_others_still_parse(string bad, string problem)
    {
        var entries = NetworkSelectionParser.Parse("good," + bad + ",good2", "pods");

        Assert.Equal(3, entries.Count);
        Assert.Equal("good", entries[0].Value!.Name);
        Assert.Null(entries[1].Value);
        Assert.Contains(problem, entries[1].Problem, StringComparison.Ordinal);
        Assert.Equal("good2", entries[2].Value!.Name);
    }

    [Theory]
    [InlineData("""[{"namespace":"x"}]""", "has no \"name\"")]
    [InlineData("""[{"name":""}]""", "empty network name")]
    [InlineData("""[{"name":5}]""", "\"name\" is a JSON number")]
    [InlineData("""["net-a"]""", "is a JSON string, expected an object")]
    [InlineData("""[{"name":"a","interface":"x/y"}]""", "contains '/'")]
    public void Bad_json_entries_are_refused(string value, string problem)
    {
        var entry = Assert.Single(NetworkSelectionParser.Parse(value, "pods"));

        Assert.Null(entry.Value);
        Assert.Contains(problem, entry.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{\"name\":\"a\"}", "is not valid JSON")]
    [InlineData("{\"name\":\"a\"}", "is a JSON object, expected a JSON list")]
    public void Unreadable_json_throws_the_format_exception_naming_the_annotation(string value, string problem)
    {
        var e = Assert.Throws<MultiVifAnnotationException>(() => NetworkSelectionParser.Parse(value, "pods"));

        Assert.Equal("k8s.v1.cni.cncf.io/networks", e.Annotation);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_annotation_selects_nothing() => Assert.Empty(NetworkSelectionParser.Parse("  ", "pods"));

    [Fact]
    public void Any_string_parses_or_throws_only_the_annotation_format_exception()
    {
        var chars = Gen.Elements("ab-./@,[]{}\":0 \n\\é5".ToCharArray());
        var text = Gen.ArrayOf(chars).Select(cs => new string(cs));
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(text.ToArbitrary(), s =>
        {
            try
            {
                var entries = NetworkSelectionParser.Parse(s, "pods");
                return entries.All(e => (e.Value is null) != (e.Problem is null));
            }
            catch (MultiVifAnnotationException)
            {
                return true;
            }
        }));
    }

    [Fact]
    public void Any_json_list_of_any_objects_never_throws()
    {
        var values = Gen.Elements("\"n\"", "\"a/b\"", "1", "null", "true", "\"\"", "\"eth1\"", "[]", "{}");
        var keys = Gen.Elements("name", "namespace", "interface", "ips", "x");
        var member = from k in keys from v in values select $"\"{k}\":{v}";
        var obj = Gen.ListOf(member).Select(ms => "{" + string.Join(",", ms) + "}");
        var element = Gen.OneOf(obj, values);
        var list = Gen.ListOf(element).Select(es => "[" + string.Join(",", es) + "]");
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(list.ToArbitrary(), s =>
            NetworkSelectionParser.Parse(s, "pods").All(e => (e.Value is null) != (e.Problem is null))));
    }
}

public sealed class NetworkSelectionParserRegressionTests
{
    [Fact]
    public void Bug_regex_dollar_anchor_let_a_name_with_a_trailing_newline_through_into_the_nad_url()
    {
        var entry = Assert.Single(NetworkSelectionParser.Parse("[{\"name\":\"net\\n\"},{\"name\":\"net\",\"namespace\":\"ns\\n\"}]", "pods").Take(1));
        var second = NetworkSelectionParser.Parse("[{\"name\":\"net\\n\"},{\"name\":\"net\",\"namespace\":\"ns\\n\"}]", "pods")[1];

        Assert.Null(entry.Value);
        Assert.Contains("is not a valid object name", entry.Problem, StringComparison.Ordinal);
        Assert.Null(second.Value);
        Assert.Contains("is not a valid namespace name", second.Problem, StringComparison.Ordinal);
    }
}
