using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Crds;

namespace Kuryr.Kubernetes.Tests.Crds;

public class YamlJsonTests
{
    [Fact]
    public void Plain_scalars_follow_the_core_schema_and_quoted_ones_stay_strings()
    {
        const string Yaml = """
            a: true
            b: "true"
            c: 42
            d: '42'
            e: 1.5
            f: ~
            g: text
            h: [x, 2, false]
            i: {j: null}
            """;
        var obj = Assert.Single(YamlJson.ParseDocuments(Yaml, "t"));
        var expected = JsonNode.Parse("""{"a":true,"b":"true","c":42,"d":"42","e":1.5,"f":null,"g":"text","h":["x",2,false],"i":{"j":null}}""");
        Assert.True(JsonNode.DeepEquals(expected, obj), obj.ToJsonString());
    }

    [Fact]
    public void Several_documents_are_returned_in_order_and_empty_ones_skipped()
    {
        var docs = YamlJson.ParseDocuments("a: 1\n---\n---\nb: 2\n", "t");
        Assert.Equal(2, docs.Count);
        Assert.Equal(2, docs[1]["b"]!.GetValue<long>());
    }

    [Fact]
    public void A_duplicate_key_is_refused_with_its_name_and_line()
    {
        var ex = Assert.Throws<FormatException>(() => YamlJson.ParseDocuments("a: 1\nb: 2\na: 3\n", "dup.yaml"));
        Assert.Contains("dup.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains("uplicate key", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_yaml_names_the_source()
    {
        var ex = Assert.Throws<FormatException>(() => YamlJson.ParseDocuments("a: [1, 2\n", "broken.yaml"));
        Assert.StartsWith("broken.yaml: invalid YAML", ex.Message, StringComparison.Ordinal);
    }
}
